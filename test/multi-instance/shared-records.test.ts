import { readFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

/**
 * Three instances on their own rules and data folders (three machines: no shared volume), one
 * real redis-server, and the same TOLLGATE_KEY_SECRET, as the README asks of several instances.
 * Budgets fail open, so the outage test can watch an override hold on the instance's own spend.
 */
const KEY_SECRET = 'a-key-secret-every-instance-shares';
let redis: TestRedis;
let instances: Harness[];

const team = {
  id: 'team-budget',
  name: 'Team budget',
  nodes: [
    { id: 'request', kind: 'request', params: {} },
    { id: 'budget', kind: 'budget', params: { scope: 'tag:team', limitUsd: 100, window: 'day', thresholdPct: 100 } },
    { id: 'refuse', kind: 'block', params: { status: 429, message: 'Team budget spent.' } },
    { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
  ],
  edges: [
    { id: 'e1', source: 'request', sourceHandle: 'next', target: 'budget' },
    { id: 'e2', source: 'budget', sourceHandle: 'over', target: 'refuse' },
    { id: 'e3', source: 'budget', sourceHandle: 'ok', target: 'go' },
  ],
};

beforeAll(async () => {
  redis = await startRedis();
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url, TOLLGATE_KEY_SECRET: KEY_SECRET }, { budgetFailMode: 'open' })));
  const published = await instances[0]!.post('/api/policies/team-budget/publish', { graph: team });
  expect(published.status).toBe(200);
  await waitFor(async () => instances.every((h) => h.server.runtime.store.get('team-budget')), 50, 20);
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await redis?.stop();
});

const sdk = (h: Harness, key: string) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: key, maxRetries: 0 });
/** The status a chat completion through the official SDK ends with. */
const statusOf = (h: Harness, key: string, policy = 'team-budget') =>
  sdk(h, key)
    .chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello there' }] }, { headers: { 'x-tollgate-policy': policy } })
    .then(
      () => 200,
      (error: { status?: number }) => error.status ?? 0,
    );

async function issueKey(on: Harness, body: object): Promise<{ id: string; key: string }> {
  const response = await on.post('/api/keys', body);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

const send = (h: Harness, method: string, pathname: string, body?: object) =>
  fetch(`${h.url}${pathname}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });

const overridesOn = async (h: Harness) => ((await (await fetch(`${h.url}/api/budgets`)).json()) as { overrides: Record<string, unknown> }).overrides;

describe('records every instance shares through Redis', () => {
  it('lets a key issued on instance 1 work on 2 and 3, and refuses it on 1 and 2 once revoked on 3', async () => {
    const [one, two, three] = instances as [Harness, Harness, Harness];
    const { id, key } = await issueKey(one, { name: 'search', tags: { team: 'search' } });
    expect(await statusOf(one, key)).toBe(200);
    await waitFor(async () => (await statusOf(two, key)) === 200 && (await statusOf(three, key)) === 200, 50, 20);
    // The local copy holds the record (its hash), never the secret.
    const copy = await readFile(path.join(two.dataDir, 'keys.json'), 'utf8');
    expect(copy).toContain(id);
    expect(copy).not.toContain(key);
    expect(JSON.stringify(await (await fetch(`${two.url}/api/keys`)).json())).toContain(id);

    expect((await send(three, 'DELETE', `/api/keys/${id}`)).status).toBe(204);
    await waitFor(async () => (await statusOf(one, key)) === 401 && (await statusOf(two, key)) === 401, 50, 20);
    expect(await statusOf(three, key)).toBe(401);
    await waitFor(async () => ((JSON.parse(await readFile(path.join(one.dataDir, 'keys.json'), 'utf8')) as { keys: { id: string; revokedAt: string | null }[] }).keys.find((k) => k.id === id)?.revokedAt ?? null) !== null, 50, 20);
  });

  it('holds a budget override set on one instance on every instance, and lifts it everywhere when removed on another', async () => {
    const [one, two, three] = instances as [Harness, Harness, Harness];
    const { key } = await issueKey(one, { name: 'research', tags: { team: 'research' } });
    await waitFor(async () => (await statusOf(two, key)) === 200, 50, 20);
    expect((await send(one, 'PUT', '/api/budgets/tag:team=research', { day: 0 })).status).toBe(200);
    // A $0 day for research: refused by the policy's over branch on the instances that did not set it.
    await waitFor(async () => (await statusOf(two, key)) === 429 && (await statusOf(three, key)) === 429, 50, 20);
    expect(await overridesOn(three)).toEqual({ 'tag:team=research': { day: 0 } });
    expect(JSON.parse(await readFile(path.join(two.dataDir, 'budgets.json'), 'utf8'))).toEqual({ 'tag:team=research': { day: 0 } });

    expect((await send(three, 'DELETE', '/api/budgets/tag:team=research')).status).toBe(204);
    await waitFor(async () => (await statusOf(one, key)) === 200 && (await statusOf(two, key)) === 200, 50, 20);
    expect(await overridesOn(one)).toEqual({});
  });

  it('shows the budgets a key was issued with on every instance', async () => {
    const { id } = await issueKey(instances[2]!, { name: 'capped', tags: {}, budgets: { month: 3 } });
    await waitFor(async () => {
      const listed = (await (await fetch(`${instances[0]!.url}/api/keys`)).json()) as { keys: { id: string; budgets: unknown }[] };
      return JSON.stringify(listed.keys.find((k) => k.id === id)?.budgets) === JSON.stringify({ month: 3 });
    }, 50, 20);
  });

  // Last: it stops Redis, and brings it back empty.
  it('keeps issuing keys and setting overrides locally while Redis is down (metered), and shares them once it is back', async () => {
    const [one, two, three] = instances as [Harness, Harness, Harness];
    await redis.kill();
    await waitFor(async () => !one.server.runtime.state.redis?.connected, 50, 20);
    const { key } = await issueKey(one, { name: 'offline', tags: { team: 'offline' } });
    expect(await statusOf(one, key)).toBe(200);
    expect((await send(one, 'PUT', '/api/budgets/tag:team=offline', { day: 0 })).status).toBe(200);
    expect(await statusOf(one, key)).toBe(429);
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toMatch(/tollgate_redis_failures_total\{op="keys.create",mode="local"\} [1-9]/);
    expect(metrics).toMatch(/tollgate_redis_failures_total\{op="budgets.override",mode="local"\} [1-9]/);
    expect(await statusOf(two, key)).toBe(401);

    await redis.restart();
    // Reconnects retry every 2 s at most: the records arrive within a few seconds of Redis coming back.
    await waitFor(async () => (await statusOf(two, key)) === 429 && (await statusOf(three, key)) === 429, 100, 50);
    expect(await overridesOn(two)).toMatchObject({ 'tag:team=offline': { day: 0 } });
  });
});
