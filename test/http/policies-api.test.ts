import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Engine } from 'json-rules-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyListResponse } from '../../shared/api.js';
import { compile } from '../../shared/compiler/compile.js';
import type { GraphInput } from '../../shared/graph.js';
import { serializeRuleFile } from '../../shared/rule-file.js';
import { hello, startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const always = (id: string, model: string): GraphInput => ({
  id,
  name: `Always ${model}`,
  nodes: [
    { id: 'request', kind: 'request', label: '', position: { x: 0, y: 0 }, params: {} },
    { id: 'only', kind: 'route', label: '', position: { x: 200, y: 0 }, params: { model } },
  ],
  edges: [{ id: 'e1', source: 'request', sourceHandle: 'next', target: 'only' }],
});

async function getJson<T>(pathname: string): Promise<T> {
  const response = await fetch(`${h.url}${pathname}`);
  expect(response.ok).toBe(true);
  return (await response.json()) as T;
}

describe('/api/policies', () => {
  it('lists the example policies with the default marked', async () => {
    const list = await getJson<PolicyListResponse>('/api/policies');
    expect(list.defaultPolicy).toBe('cost-router');
    expect(list.policies.map((p) => p.id)).toEqual(['budget-guard', 'cost-router', 'faq-cache']);
    expect(list.policies.find((p) => p.id === 'cost-router')).toMatchObject({ isDefault: true, status: 'ok', ruleCount: 5, version: 1 });
  });

  it('publishes a new policy: an atomic rule file json-rules-engine loads, live at once', async () => {
    const response = await h.post('/api/policies/always-nano/publish', { graph: always('always-nano', 'gpt-4.1-nano') });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ version: 1 });
    const file = JSON.parse(await readFile(path.join(h.rulesDir, 'always-nano.json'), 'utf8'));
    expect(() => new Engine(file.rules)).not.toThrow();
    const chat = await h.post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'always-nano' });
    expect(chat.headers.get('x-tollgate-model')).toBe('gpt-4.1-nano');
    expect(chat.headers.get('x-tollgate-rule')).toBe('only');
  });

  it('keeps every publish as a version, shows each, and rolls back as a new version', async () => {
    await h.post('/api/policies/always-nano/publish', { graph: always('always-nano', 'gpt-4o') });
    const { versions } = await getJson<{ versions: { version: number }[] }>('/api/policies/always-nano/versions');
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    const v1 = await getJson<{ graph: { nodes: { params: { model?: string } }[] } }>('/api/policies/always-nano/versions/1');
    expect(v1.graph.nodes[1]!.params.model).toBe('gpt-4.1-nano');

    const rollback = await h.post('/api/policies/always-nano/rollback', { version: 1 });
    expect(await rollback.json()).toMatchObject({ version: 3 });
    const chat = await h.post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'always-nano' });
    expect(chat.headers.get('x-tollgate-model')).toBe('gpt-4.1-nano');
  });

  it('saves, reads and discards a draft without touching the live policy', async () => {
    const draft = always('cost-router', 'gpt-4o');
    const saved = await fetch(`${h.url}/api/policies/cost-router/draft`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ graph: draft }),
    });
    expect(saved.status).toBe(200);
    const detail = await getJson<{ draft: { name: string }; ruleFile: { policy: { name: string } } }>('/api/policies/cost-router');
    expect(detail.draft.name).toBe('Always gpt-4o');
    expect(detail.ruleFile.policy.name).toBe('Cost router');
    const discarded = await fetch(`${h.url}/api/policies/cost-router/draft`, { method: 'DELETE' });
    expect(discarded.status).toBe(204);
  });

  it('imports a rule file back to its exact graph, and refuses a hand-edited one', async () => {
    const file = JSON.parse(await readFile(path.join(h.rulesDir, 'budget-guard.json'), 'utf8'));
    const ok = await h.post('/api/import', { ruleFile: file });
    expect((await ok.json()).graph).toEqual(file.graph);
    file.rules[0].priority = 99;
    const edited = await h.post('/api/import', { ruleFile: file });
    expect(edited.status).toBe(400);
    expect((await edited.json()).error.code).toBe('stale_rule_file');
  });
});

describe('hot reload of rules/', () => {
  it('picks up a changed file, and keeps the last good version live when the file breaks', async () => {
    const next = compile({ ...always('faq-cache', 'gpt-4.1-mini'), version: 7 }).ruleFile!;
    await writeFile(path.join(h.rulesDir, 'faq-cache.json'), serializeRuleFile(next));
    await waitFor(async () => (await getJson<PolicyListResponse>('/api/policies')).policies.find((p) => p.id === 'faq-cache' && p.version === 7));

    await writeFile(path.join(h.rulesDir, 'faq-cache.json'), '{"policy": {"id": "faq-cache"');
    const broken = await waitFor(async () =>
      (await getJson<PolicyListResponse>('/api/policies')).policies.find((p) => p.id === 'faq-cache' && p.status === 'error'),
    );
    expect(broken.error).toMatch(/not valid JSON/);
    expect(broken.version).toBe(7);
    const health = await getJson<{ brokenPolicies: string[] }>('/healthz');
    expect(health.brokenPolicies).toEqual(['faq-cache']);
    const chat = await h.post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'faq-cache' });
    expect(chat.status).toBe(200);
    expect(chat.headers.get('x-tollgate-model')).toBe('gpt-4.1-mini');
  });
});
