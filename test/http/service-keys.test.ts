import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { CreateKeyResponseSchema, KeyListResponseSchema, type CreateKeyBody } from '../../shared/keys-api.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { edge, node } from '../compiler/graph-builders.js';
import { rejectionOf } from '../support/rejection.js';
import { hello, startHarness, type Harness } from './harness.js';

let upstream: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' });
});
afterAll(async () => {
  await h.close();
  await upstream.close();
});

async function issue(body: CreateKeyBody): Promise<{ id: string; key: string }> {
  const response = await h.post('/api/keys', body);
  expect(response.status).toBe(201);
  return CreateKeyResponseSchema.parse(await response.json());
}

const sdk = (apiKey: string, headers: Record<string, string> = {}) =>
  new OpenAI({ baseURL: `${h.url}/v1`, apiKey, maxRetries: 0, defaultHeaders: headers });

async function ledger(): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) records.push(record);
  return records;
}

const byRequestId = async (id: string | null) => (await ledger()).find((r) => r.id === id);

describe('service keys', () => {
  it('leaves /v1 open until the first key is issued, then refuses a missing or wrong key with 401 invalid_api_key', async () => {
    const before = await h.client.chat.completions.create(hello());
    expect(before.choices[0]!.message.content).toContain('echo');

    const { id, key } = await issue({ name: 'search service', tags: { team: 'search' } });
    expect(key).toMatch(/^tg_[0-9A-Za-z]{32}$/);
    expect(id).toMatch(/^key_[0-9a-f]{12}$/);

    const noKey = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(hello()) });
    expect(noKey.status).toBe(401);
    expect((await noKey.json()).error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_api_key' });

    const wrong = await rejectionOf(sdk('tg_' + 'A'.repeat(32)).chat.completions.create(hello()), OpenAI.AuthenticationError);
    expect(wrong.code).toBe('invalid_api_key');
    // The key the caller had before keys were in force is now refused too.
    await rejectionOf(h.client.chat.completions.create(hello()), OpenAI.AuthenticationError);
    await rejectionOf(sdk(key.toUpperCase()).models.list(), OpenAI.AuthenticationError);

    const { data, response } = await sdk(key).chat.completions.create(hello()).withResponse();
    expect(data.choices[0]!.message.content).toContain('echo');
    const record = await byRequestId(response.headers.get('x-tollgate-request-id'));
    expect(record).toMatchObject({ serviceKey: id, tags: { team: 'search' } });
    expect((await sdk(key).models.list()).data.length).toBeGreaterThan(0);
  });

  it('lists keys without their secret or hash, and stores only a keyed hash on disk (secret file 0600)', async () => {
    const { id, key } = await issue({ name: 'listing', tags: { team: 'ops' }, budgets: { day: 5 } });
    const text = await (await fetch(`${h.url}/api/keys`)).text();
    const listed = KeyListResponseSchema.parse(JSON.parse(text)).keys.find((k) => k.id === id);
    expect(listed).toMatchObject({ name: 'listing', tags: { team: 'ops' }, policy: null, budgets: { day: 5 }, revokedAt: null });
    expect(text).not.toContain(key);
    expect(text).not.toContain('hash');

    const onDisk = await readFile(path.join(h.dataDir, 'keys.json'), 'utf8');
    expect(onDisk).not.toContain(key);
    expect(onDisk).toContain(id);
    expect((await stat(path.join(h.dataDir, 'key-secret'))).mode & 0o777).toBe(0o600);
    // The key's budget is a budget override of its serviceKey scope, where a serviceKey budget node reads it.
    expect((await (await fetch(`${h.url}/api/budgets`)).json()).overrides[`serviceKey=${id}`]).toEqual({ day: 5 });
  });

  it('refuses a revoked key at once, and says which field is wrong in a bad create', async () => {
    const { id, key } = await issue({ name: 'short-lived' });
    const client = sdk(key);
    await client.chat.completions.create(hello());
    const revoked = await fetch(`${h.url}/api/keys/${id}`, { method: 'DELETE' });
    expect(revoked.status).toBe(204);
    await rejectionOf(client.chat.completions.create(hello()), OpenAI.AuthenticationError);
    expect((await fetch(`${h.url}/api/keys/${id}`, { method: 'DELETE' })).status).toBe(404);
    const listed = KeyListResponseSchema.parse(await (await fetch(`${h.url}/api/keys`)).json()).keys.find((k) => k.id === id);
    expect(listed?.revokedAt).toEqual(expect.any(String));

    const bad = await h.post('/api/keys', { name: 'x', tags: { 'bad key': 'v' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toMatch(/^tags/);
    const unknownPolicy = await h.post('/api/keys', { name: 'x', policy: 'no-such-policy' });
    expect((await unknownPolicy.json()).error).toMatchObject({ field: 'policy', code: 'unknown_policy' });
  });

  it('admits exactly the valid half of 50 parallel requests', async () => {
    const { key } = await issue({ name: 'parallel' });
    const wrong = 'tg_' + 'b'.repeat(32);
    const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => sdk(i % 2 ? wrong : key).chat.completions.create(hello())));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(25);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => r.reason instanceof OpenAI.AuthenticationError)).toBe(true);
  });

  it('pins a key to its policy: no header uses it, another policy is 403', async () => {
    const { key } = await issue({ name: 'pinned', policy: 'faq-cache' });
    const { response } = await sdk(key).chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-policy')).toBe('faq-cache');
    const same = await sdk(key, { 'x-tollgate-policy': 'faq-cache' }).chat.completions.create(hello()).withResponse();
    expect(same.response.headers.get('x-tollgate-policy')).toBe('faq-cache');
    const other = await rejectionOf(sdk(key, { 'x-tollgate-policy': 'cost-router' }).chat.completions.create(hello()), OpenAI.PermissionDeniedError);
    expect(other.code).toBe('policy_not_allowed');
  });
});

describe('a key-bound tag cannot be escaped', () => {
  it('books and decides as team=a whatever team the caller claims in headers or metadata, 50 requests in parallel', async () => {
    // Team a has nothing left today; team b has the policy's $50.
    const put = await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=a')}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"day":0}' });
    expect(put.status).toBe(200);
    const teamA = await issue({ name: 'team a', tags: { team: 'a' }, policy: 'budget-guard' });
    const teamB = await issue({ name: 'team b', tags: { team: 'b' }, policy: 'budget-guard' });

    const ok = await sdk(teamB.key).chat.completions.create(hello()).withResponse();
    expect(ok.response.headers.get('x-tollgate-rule')).toBe('as-requested');

    const escaper = sdk(teamA.key, { 'x-tollgate-tags': 'team=b,feature=chat' });
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, () => escaper.chat.completions.create({ ...hello(), metadata: { team: 'b' } })),
    );
    const refused = attempts.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(50);
    expect(refused.every((r) => r.reason instanceof OpenAI.RateLimitError)).toBe(true);

    const booked = (await ledger()).filter((r) => r.serviceKey === teamA.id);
    expect(booked).toHaveLength(50);
    // The bound tag wins; an unbound one (feature) is still the caller's to add.
    expect(booked.every((r) => r.tags.team === 'a' && r.tags.feature === 'chat' && r.status === 429)).toBe(true);

    const decided = await fetch(`${h.url}/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${teamA.key}`, 'x-tollgate-tags': 'team=b' },
      body: JSON.stringify({ ...hello(), metadata: { team: 'b' } }),
    });
    expect(await decided.json()).toMatchObject({ policy: 'budget-guard', facts: { tags: { team: 'a' }, serviceKey: teamA.id } });
  });
});

describe('a key-bound tag wins over a Tag node too', () => {
  /** Tags every request team=b, then checks the tag:team budget: the trap a policy could set for a key bound to another team (a2; team=a has a 0 budget above). */
  const retagging = {
    id: 'retag-then-budget',
    name: 'Retag then budget',
    nodes: [
      node('req', 'request'),
      node('retag', 'tag', { tags: { team: 'b', project: 'x' } }),
      node('budget', 'budget', { scope: 'tag:team', limitUsd: 50, window: 'day' }),
      node('route', 'route', { model: 'gpt-4o-mini' }),
      node('stop', 'block', { status: 429, message: 'team budget spent' }),
    ],
    edges: [edge('req', 'next', 'retag'), edge('retag', 'next', 'budget'), edge('budget', 'ok', 'route'), edge('budget', 'over', 'stop')],
  };

  it('a key bound to team=a2 under a Tag node setting team=b: the ledger books a2 and the tag:team budget counts it, 50 requests in parallel', async () => {
    expect((await h.post('/api/policies/retag-then-budget/publish', { graph: retagging })).status).toBe(200);
    const teamA = await issue({ name: 'team a2 retagged', tags: { team: 'a2' }, policy: 'retag-then-budget' });
    const client = sdk(teamA.key);

    const first = await client.chat.completions.create(hello()).withResponse();
    const record = await byRequestId(first.response.headers.get('x-tollgate-request-id'));
    // The key's team stays; the Tag node's other tag is still added.
    expect(record).toMatchObject({ status: 200, serviceKey: teamA.id, tags: { team: 'a2', project: 'x' } });
    expect(record!.costUsd).toBeGreaterThan(0);

    // A limit below what team a2 has spent: only spend booked under team=a2 can make it "over".
    const put = await fetch(`${h.url}/api/budgets/${encodeURIComponent('tag:team=a2')}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ day: record!.costUsd / 2 }),
    });
    expect(put.status).toBe(200);
    const attempts = await Promise.allSettled(Array.from({ length: 50 }, () => client.chat.completions.create(hello())));
    const refused = attempts.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(50);
    expect(refused.every((r) => r.reason instanceof OpenAI.RateLimitError)).toBe(true);
    const booked = (await ledger()).filter((r) => r.serviceKey === teamA.id);
    expect(booked).toHaveLength(51);
    expect(booked.every((r) => r.tags.team === 'a2')).toBe(true);
  });
});

describe('a key budget', () => {
  it('limits the key where the policy has a serviceKey budget node', async () => {
    const file = JSON.parse(await readFile(path.join(h.rulesDir, 'budget-guard.json'), 'utf8')) as RuleFile;
    const graph = { ...file.graph, id: 'per-key-budget' };
    for (const node of graph.nodes) if (node.kind === 'budget') node.params.scope = 'serviceKey';
    expect((await h.post('/api/policies/per-key-budget/publish', { graph })).status).toBe(200);
    const broke = await issue({ name: 'no money', policy: 'per-key-budget', budgets: { day: 0 } });
    const funded = await issue({ name: 'funded', policy: 'per-key-budget' });

    const refused = await rejectionOf(sdk(broke.key).chat.completions.create(hello()), OpenAI.RateLimitError);
    expect(refused.status).toBe(429);
    const { response } = await sdk(funded.key).chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-rule')).toBe('as-requested');
  });
});

describe('TOLLGATE_REQUIRE_KEYS', () => {
  it('requires a key before any is issued', async () => {
    const strict = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { requireKeys: true });
    try {
      const error = await rejectionOf(strict.client.chat.completions.create(hello()), OpenAI.AuthenticationError);
      expect(error.code).toBe('invalid_api_key');
      // Express matches mount paths case-insensitively; no spelling of /v1 reaches a route unchecked.
      for (const pathname of ['/V1/models', '/v1//models', '/%761/models', '//v1/models', '/x/../v1/models']) {
        const response = await fetch(`${strict.url}${pathname}`);
        expect([401, 404], pathname).toContain(response.status);
      }
    } finally {
      await strict.close();
    }
  });
});
