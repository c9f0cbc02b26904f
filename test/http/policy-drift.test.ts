import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDetailResponse, PolicyListResponse } from '../../shared/api.js';
import { ruleDrift } from '../../shared/compiler/rule-drift.js';
import type { Logger } from '../../server/log.js';
import { warnAboutLoadedPolicies } from '../../server/policies/startup-warnings.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { hello, startHarness, type Harness } from './harness.js';

let h: Harness;
let original: RuleFile;

const getJson = async <T>(pathname: string): Promise<T> => (await fetch(`${h.url}${pathname}`)).json() as Promise<T>;

beforeAll(async () => {
  h = await startHarness({}, { watchRules: false });
  const file = path.join(h.rulesDir, 'cost-router.json');
  original = JSON.parse(await readFile(file, 'utf8')) as RuleFile;
  // Hand-edited after publishing: the cheap route now sends to gpt-4o, the graph still says gpt-4o-mini.
  const edited = structuredClone(original);
  const cheap = edited.rules.find((rule) => rule.name === 'cheap-model')!;
  (cheap.event.params.actions.at(-1) as { model: string }).model = 'gpt-4o';
  await writeFile(file, `${JSON.stringify(edited, null, 2)}\n`);
  await h.server.runtime.store.reload('cost-router');
});
afterAll(() => h.close());

describe('a rule file whose rules differ from what its graph compiles to', () => {
  it('is served as committed (git is the truth): the hand-edited model answers', async () => {
    const { response } = await h.client.chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-rule')).toBe('cheap-model');
    expect(response.headers.get('x-tollgate-model')).toBe('gpt-4o');
  });

  it('is reported as drifted by GET /api/policies/:id, saying which rule changed', async () => {
    const detail = await getJson<PolicyDetailResponse>('/api/policies/cost-router');
    expect(detail.summary.status).toBe('drifted');
    expect(detail.summary.drift).toContain('"cheap-model"');
  });

  it('is reported as drifted in the list, other policies stay ok', async () => {
    const list = await getJson<PolicyListResponse>('/api/policies');
    const byId = Object.fromEntries(list.policies.map((p) => [p.id, p.status]));
    expect(byId).toMatchObject({ 'cost-router': 'drifted', 'budget-guard': 'ok', 'faq-cache': 'ok' });
  });

  it('is listed in /healthz driftedPolicies', async () => {
    const health = await getJson<{ driftedPolicies: string[]; status: string }>('/healthz');
    expect(health).toMatchObject({ status: 'ok', driftedPolicies: ['cost-router'] });
  });

  it('is named in the startup warning', () => {
    const warnings: { obj: unknown; msg: string }[] = [];
    const log = { warn: (obj: unknown, msg: string) => warnings.push({ obj, msg }) } as unknown as Logger;
    const rt = h.server.runtime;
    warnAboutLoadedPolicies({ store: rt.store, providers: rt.state.providers, pricing: rt.pricing, log });
    expect(warnings).toContainEqual({ obj: { policies: ['cost-router'] }, msg: expect.stringContaining('drifted') });
  });

  it('stops drifting once its graph is published again', async () => {
    const response = await h.post('/api/policies/cost-router/publish', { graph: original.graph });
    expect(response.status).toBe(200);
    expect((await getJson<PolicyDetailResponse>('/api/policies/cost-router')).summary.status).toBe('ok');
    expect((await getJson<{ driftedPolicies: string[] }>('/healthz')).driftedPolicies).toEqual([]);
  });
});

describe('ruleDrift', () => {
  it('finds none in a freshly compiled file, whatever the order of its keys', () => {
    expect(ruleDrift(original)).toBeNull();
    const reordered = { ...original, rules: original.rules.map((r) => ({ event: r.event, conditions: r.conditions, priority: r.priority, name: r.name })) };
    expect(ruleDrift(reordered)).toBeNull();
  });

  it('names a missing or extra rule by count', () => {
    expect(ruleDrift({ ...original, rules: original.rules.slice(1) })).toMatch(/4 rules where the graph gives 5/);
  });
});
