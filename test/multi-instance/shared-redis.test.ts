import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { Redis } from 'ioredis';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { hello, startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

/** Three Tollgate instances (real servers on loopback, each with its own rules and data folders, as on three machines) sharing one real redis-server. */
let redis: TestRedis;
let instances: Harness[];

beforeAll(async () => {
  redis = await startRedis();
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await redis?.stop();
});

/** Reads Redis with a client of our own. */
async function withRedis<T>(read: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redis.url);
  try {
    return await read(client);
  } finally {
    client.disconnect();
  }
}

const redisKeys = (pattern: string) => withRedis((client) => client.keys(pattern));

/** Requests counted in Redis on every 1-a-minute limit. */
const countedOnOneAMinute = () =>
  withRedis(async (client) => {
    const counts = await Promise.all((await client.keys('tg:rate:1/0|*:z')).map((k) => client.zcard(k)));
    return counts.reduce((a, b) => a + b, 0);
  });

const at = (i: number) => instances[i % instances.length]!;

function throttled(rpm: number, tpm = 0) {
  return {
    id: 'throttled',
    name: 'Throttled',
    nodes: [
      { id: 'request', kind: 'request', params: {} },
      { id: 'per-key', kind: 'rateLimit', params: { scope: 'serviceKey', rpm, tpm } },
      { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
      { id: 'slow-down', kind: 'block', params: { status: 429, message: `Slow down: ${rpm} requests a minute per key.` } },
    ],
    edges: [
      { id: 'e1', source: 'request', sourceHandle: 'next', target: 'per-key' },
      { id: 'e2', source: 'per-key', sourceHandle: 'ok', target: 'go' },
      { id: 'e3', source: 'per-key', sourceHandle: 'limited', target: 'slow-down' },
    ],
  };
}

const cached = {
  id: 'cached',
  name: 'Cached',
  nodes: [
    { id: 'request', kind: 'request', params: {} },
    { id: 'cache', kind: 'cache', params: { mode: 'exact', ttlSeconds: 600 } },
    { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
  ],
  edges: [
    { id: 'e1', source: 'request', sourceHandle: 'next', target: 'cache' },
    { id: 'e2', source: 'cache', sourceHandle: 'next', target: 'go' },
  ],
};

/** Polls every 20 ms, 50 times: the policy must be live on the instance within a second of the publish answering. */
async function liveWithinOneSecond(h: Harness, id: string, version: number): Promise<void> {
  await waitFor(async () => h.server.runtime.store.get(id)?.ruleFile.policy.version === version, 50, 20);
}

async function publish(on: Harness, graph: { id: string }): Promise<number> {
  const response = await on.post(`/api/policies/${graph.id}/publish`, { graph });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { ruleFile: { policy: { version: number } } };
  return body.ruleFile.policy.version;
}

describe('several instances sharing one Redis', () => {
  it('makes a policy published on one instance live on the others within a second', async () => {
    const version = await publish(at(0), throttled(10));
    await liveWithinOneSecond(at(1), 'throttled', version);
    await liveWithinOneSecond(at(2), 'throttled', version);
    expect(at(2).server.runtime.store.get('throttled')?.ruleFile.graph.nodes.find((n) => n.id === 'per-key')?.params).toMatchObject({ rpm: 10 });
  });

  it('admits exactly 10 of 60 parallel requests spread over three instances on a 10-a-minute limit', async () => {
    const version = await publish(at(1), throttled(10));
    await Promise.all([0, 2].map((i) => liveWithinOneSecond(at(i), 'throttled', version)));
    const headers = { 'x-tollgate-policy': 'throttled', authorization: 'Bearer svc-parallel' };
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => at(i).post('/v1/chat/completions', hello(), headers).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(50);
    // Every instance refuses the key now, including those that admitted none of its ten.
    for (const i of [0, 1, 2]) expect((await at(i).post('/v1/chat/completions', hello(), headers)).status).toBe(429);
    expect((await at(0).post('/v1/chat/completions', hello(), { ...headers, authorization: 'Bearer svc-other' })).status).toBe(200);
  });

  it('previews a shared limit on /v1/decide without counting against it', async () => {
    const version = await publish(at(0), { ...throttled(3), id: 'previewed' });
    await Promise.all([1, 2].map((i) => liveWithinOneSecond(at(i), 'previewed', version)));
    const headers = { 'x-tollgate-policy': 'previewed', authorization: 'Bearer svc-preview' };
    const rule = async (i: number) => ((await (await at(i).post('/v1/decide', hello(), headers)).json()) as { rule: string }).rule;
    const previews = await Promise.all(Array.from({ length: 20 }, (_, i) => rule(i)));
    expect(new Set(previews).size).toBe(1);
    const statuses = await Promise.all(Array.from({ length: 3 }, (_, i) => at(i).post('/v1/chat/completions', hello(), headers).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200]);
    expect(await rule(1)).not.toBe(previews[0]);
  });

  it('limits tokens a minute across instances too: 3 requests of about 1,015 tokens fit under 2,500 tpm', async () => {
    const graph = { ...throttled(1000, 2500), id: 'token-limited' };
    const version = await publish(at(2), graph);
    await Promise.all([0, 1].map((i) => liveWithinOneSecond(at(i), 'token-limited', version)));
    const headers = { 'x-tollgate-policy': 'token-limited', authorization: 'Bearer svc-tokens' };
    const body = { ...hello(), max_tokens: 1000 };
    const statuses = await Promise.all(Array.from({ length: 30 }, (_, i) => at(i).post('/v1/chat/completions', body, headers).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
  });

  it('gives back the count of a limit a request was admitted to but whose path did not count it', async () => {
    const graph = {
      id: 'limited-for-one-team',
      name: 'Limited for one team',
      nodes: [
        { id: 'request', kind: 'request', params: {} },
        { id: 'is-ads', kind: 'condition', params: { tests: [{ fact: 'tags', path: 'team', operator: 'equal', value: 'ads' }] } },
        { id: 'one-a-minute', kind: 'rateLimit', params: { scope: 'serviceKey', rpm: 1 } },
        { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
        { id: 'slow-down', kind: 'block', params: { status: 429, message: 'one a minute' } },
      ],
      edges: [
        { id: 'e1', source: 'request', sourceHandle: 'next', target: 'is-ads' },
        { id: 'e2', source: 'is-ads', sourceHandle: 'true', target: 'one-a-minute' },
        { id: 'e3', source: 'is-ads', sourceHandle: 'false', target: 'go' },
        { id: 'e4', source: 'one-a-minute', sourceHandle: 'ok', target: 'go' },
        { id: 'e5', source: 'one-a-minute', sourceHandle: 'limited', target: 'slow-down' },
      ],
    };
    const version = await publish(at(0), graph);
    await Promise.all([1, 2].map((i) => liveWithinOneSecond(at(i), graph.id, version)));
    const as = (team: string) => ({ 'x-tollgate-policy': graph.id, authorization: 'Bearer svc-refund', 'x-tollgate-tags': `team=${team}` });
    const others = await Promise.all(Array.from({ length: 20 }, (_, i) => at(i).post('/v1/chat/completions', hello(), as('search')).then((r) => r.status)));
    expect(others.every((s) => s === 200)).toBe(true);
    // The refunds are sent after each answer's decision; wait until Redis holds none of them.
    await waitFor(async () => (await countedOnOneAMinute()) === 0, 50, 20);
    expect((await at(1).post('/v1/chat/completions', hello(), as('ads'))).status).toBe(200);
    expect((await at(2).post('/v1/chat/completions', hello(), as('ads'))).status).toBe(429);
  });

  it('counts nothing for a request refused for a bad x-tollgate-defer header', async () => {
    const version = await publish(at(0), { ...throttled(2), id: 'bad-defer' });
    await Promise.all([1, 2].map((i) => liveWithinOneSecond(at(i), 'bad-defer', version)));
    const headers = { 'x-tollgate-policy': 'bad-defer', authorization: 'Bearer svc-defer' };
    const refused = await Promise.all(Array.from({ length: 10 }, (_, i) => at(i).post('/v1/chat/completions', hello(), { ...headers, 'x-tollgate-defer': 'someday' }).then((r) => r.status)));
    expect(refused).toEqual(Array(10).fill(400));
    const statuses = await Promise.all(Array.from({ length: 3 }, (_, i) => at(i).post('/v1/chat/completions', hello(), headers).then((r) => r.status)));
    expect(statuses.sort()).toEqual([200, 200, 429]);
  });

  it('serves an answer cached through one instance from another', async () => {
    const version = await publish(at(0), cached);
    await liveWithinOneSecond(at(2), 'cached', version);
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'What does a toll gate do?' }] };
    const first = await at(0).post('/v1/chat/completions', body, { 'x-tollgate-policy': 'cached' });
    expect(first.headers.get('x-tollgate-cache')).toBe('miss');
    const answer = await first.json();
    await waitFor(async () => (await redisKeys('tg:cache:*')).length === 1, 50, 20);
    const second = await at(2).post('/v1/chat/completions', body, { 'x-tollgate-policy': 'cached' });
    expect(second.headers.get('x-tollgate-cache')).toBe('hit');
    expect((await second.json()).choices).toEqual(answer.choices);
  });

  it('shares a semantic-mode entry by its exact question (rewordings: shared-semantic-cache.test.ts)', async () => {
    const graph = { ...cached, id: 'semantic-cached', nodes: cached.nodes.map((n) => (n.id === 'cache' ? { ...n, params: { mode: 'semantic', ttlSeconds: 600 } } : n)) };
    const version = await publish(at(0), graph);
    await liveWithinOneSecond(at(1), graph.id, version);
    const ask = (i: number, content: string) => at(i).post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }, { 'x-tollgate-policy': graph.id });
    const first = await ask(0, 'What is the capital of France?');
    expect(first.headers.get('x-tollgate-cache')).toBe('miss');
    const answer = await first.json();
    // The store is sent after the answer; asking before it lands would store a second answer.
    await waitFor(async () => (await redisKeys('tg:cache:*')).length >= 2, 50, 20);
    const same = await ask(1, 'What is the capital of France?');
    expect(same.headers.get('x-tollgate-cache')).toBe('hit');
    expect((await same.json()).choices).toEqual(answer.choices);
    // Only case differs: the instance that stored it matches it through its own verifier.
    expect((await ask(0, 'what is the capital of france')).headers.get('x-tollgate-cache')).toBe('hit');
    expect((await ask(2, 'How do I bake sourdough bread at home?')).headers.get('x-tollgate-cache')).toBe('miss');
  });

  it('keeps serving while Redis is down (rate limits fail open, cache misses), meters it, and shares again once it is back', async () => {
    await redis.kill();
    const duringOutage = await publish(at(0), { ...throttled(9), id: 'published-in-outage' });
    const headers = { 'x-tollgate-policy': 'throttled', authorization: 'Bearer svc-outage' };
    const statuses = await Promise.all(Array.from({ length: 15 }, (_, i) => at(i).post('/v1/chat/completions', hello(), headers).then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    const uncached = await at(1).post('/v1/chat/completions', { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Asked during the outage' }] }, { 'x-tollgate-policy': 'cached' });
    expect(uncached.status).toBe(200);
    const metrics = await (await fetch(`${at(0).url}/metrics`)).text();
    expect(metrics).toMatch(/tollgate_redis_failures_total\{op="rate.admit",mode="open"\} \d+/);
    expect(metrics).toMatch(/tollgate_redis_up 0/);

    await redis.restart();
    await waitFor(async () => instances.every((h) => h.server.runtime.state.redis?.connected), 100, 50);
    const after = await Promise.all(Array.from({ length: 12 }, (_, i) => at(i).post('/v1/chat/completions', hello(), { ...headers, authorization: 'Bearer svc-after' }).then((r) => r.status)));
    expect(after.filter((s) => s === 200)).toHaveLength(10);
    // What was published during the outage is announced once Redis is back.
    await Promise.all([1, 2].map((i) => waitFor(async () => at(i).server.runtime.store.get('published-in-outage')?.ruleFile.policy.version === duringOutage, 100, 50)));
    // Subscriptions came back with the connection: a publish is live everywhere again.
    const version = await publish(at(2), { ...throttled(7), id: 'after-outage' });
    await Promise.all([0, 1].map((i) => liveWithinOneSecond(at(i), 'after-outage', version)));
  });
  it('loses no acknowledged ledger record when Redis is killed mid-load', async () => {
    let answered = 0;
    let killed: Promise<void> | null = null;
    const ids = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const response = await at(i).post('/v1/chat/completions', hello(), { 'x-tollgate-policy': 'throttled', authorization: `Bearer svc-midload-${i % 6}` });
        if (++answered === 10) killed = redis.kill();
        expect([200, 429]).toContain(response.status);
        return response.headers.get('x-tollgate-request-id');
      }),
    );
    await killed;
    const booked = new Set<string>();
    for (const h of instances) for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) booked.add(record.id);
    expect(ids.filter((id) => id === null)).toHaveLength(0);
    expect(ids.filter((id) => !booked.has(id!))).toEqual([]);
    await redis.restart();
  });
});
