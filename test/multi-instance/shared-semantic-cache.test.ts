import { Redis } from 'ioredis';
import { publishOnAll } from './publish-on-all.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResponseCache } from '../../server/cache/response-cache.js';
import { cacheAction, cacheInput, completion } from '../cache/cache-fixture.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';

/**
 * Three Tollgate instances (real servers on loopback, each with its own rules and data) on one
 * real redis-server and one loopback OpenAI upstream, asked through the official SDK: a semantic
 * entry stored through one instance is matched by the others' own pair verifiers.
 */
let redis: TestRedis;
let upstream: UpstreamServer;
let instances: Harness[];
const late: Harness[] = [];

const STORED = 'How do I learn to play the guitar?';
/** The verifier scores this 0.93 against STORED: above the 10% bound's threshold (0.90), so one instance serves it too. */
const REWORDED = 'How do I learn to play guitar?';
/** 0.31 against STORED: another question. */
const OTHER = 'How do I learn to play the piano?';

const graph = {
  id: 'shared-semantic',
  name: 'Shared semantic cache',
  nodes: [
    { id: 'request', kind: 'request', params: {} },
    { id: 'cache', kind: 'cache', params: { mode: 'semantic', ttlSeconds: 600, maxWrongHitRate: 0.1 } },
    { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } },
  ],
  edges: [
    { id: 'e1', source: 'request', sourceHandle: 'next', target: 'cache' },
    { id: 'e2', source: 'cache', sourceHandle: 'next', target: 'go' },
  ],
};

const env = () => ({ TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' });

async function publishOn(h: Harness): Promise<void> {
  expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
}

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream();
  instances = await Promise.all([0, 1, 2].map(() => startHarness(env())));
  await publishOnAll(instances, graph);
});
afterAll(async () => {
  await Promise.all([...(instances ?? []), ...late].map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
});

/** Asks through the SDK; the answer's text, whether the cache answered, and the request id. */
async function ask(h: Harness, content: string): Promise<{ text: string | null; cache: string | null; id: string | null }> {
  const { data, response } = await h.client.chat.completions
    .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content }] }, { headers: { 'x-tollgate-policy': graph.id } })
    .withResponse();
  return { text: data.choices[0]?.message.content ?? null, cache: response.headers.get('x-tollgate-cache'), id: response.headers.get('x-tollgate-request-id') };
}

/** Another pair like STORED and REWORDED, for the verdict a late instance must learn. */
const JUDGED = 'How do I learn to play the violin?';
const JUDGED_REWORDED = 'How do I learn to play violin?';

const outcomeLists = async () => {
  const client = new Redis(redis.url);
  try {
    return await client.keys('tg:semcache:o:*');
  } finally {
    client.disconnect();
  }
};

const semanticRecords = async () => {
  const client = new Redis(redis.url);
  try {
    return await client.keys('tg:semcache:e:*');
  } finally {
    client.disconnect();
  }
};

describe('semantic cache entries shared across instances', () => {
  it('is a pair one instance alone accepts, and the other question it refuses', async () => {
    const cache = createResponseCache();
    const action = cacheAction({ mode: 'semantic', maxWrongHitRate: 0.1 });
    cache.store(action, cacheInput(STORED), completion('strum'));
    expect(await cache.lookup(action, cacheInput(REWORDED))).toMatchObject({ match: 'semantic' });
    expect(await cache.lookup(action, cacheInput(OTHER))).toBeNull();
  });

  it('answers a rewording on instances 2 and 3 from what instance 1 stored: the upstream sees one call', async () => {
    const first = await ask(instances[0]!, STORED);
    expect(first.cache).toBe('miss');
    expect(upstream.requests).toHaveLength(1);
    // The store is sent after the answer.
    await waitFor(async () => (await semanticRecords()).length === 1, 50, 20);
    for (const h of [instances[1]!, instances[2]!]) {
      const reworded = await ask(h, REWORDED);
      expect(reworded).toMatchObject({ cache: 'hit', text: first.text });
    }
    expect(upstream.requests).toHaveLength(1);
    // The answer fetched once is kept: asked again, instance 2 answers from its own memory.
    expect(await ask(instances[1]!, REWORDED)).toMatchObject({ cache: 'hit', text: first.text });
  });

  it('does not answer a different question in the same words', async () => {
    const other = await ask(instances[2]!, OTHER);
    expect(other.cache).toBe('miss');
    expect(other.text).toContain('piano');
    expect(upstream.requests).toHaveLength(2);
  });

  it('lets an instance started after the store catch up from Redis', async () => {
    const h = await startHarness(env());
    late.push(h);
    await publishOn(h);
    const reworded = await ask(h, REWORDED);
    expect(reworded.cache).toBe('hit');
    expect(reworded.text).toContain('the guitar');
    expect(upstream.requests).toHaveLength(2);
  });

  it('answers 50 parallel rewordings spread over the three instances from one stored answer', async () => {
    const first = await ask(instances[0]!, 'What is the capital of France?');
    expect(first.cache).toBe('miss');
    const calls = upstream.requests.length;
    await waitFor(async () => (await semanticRecords()).length === 3, 50, 20);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(instances[i % 3]!, "what's the capital of france")));
    expect(answers.map((a) => a.cache)).toEqual(Array(50).fill('hit'));
    expect(new Set(answers.map((a) => a.text))).toEqual(new Set([first.text]));
    expect(upstream.requests).toHaveLength(calls);
  });

  it('moves the entry threshold on every instance when a hit on one is judged wrong', async () => {
    const hit = await ask(instances[1]!, REWORDED);
    expect(hit.cache).toBe('hit');
    expect((await instances[1]!.post('/v1/feedback', { requestId: hit.id, thumbs: 'down' })).status).toBe(200);
    // Hits until the verdict arrives; the first miss is the verdict applied (asked once more, an exact hit on the new answer).
    const before = upstream.requests.length;
    await waitFor(async () => (await ask(instances[2]!, REWORDED)).cache === 'miss', 50, 20);
    expect(upstream.requests).toHaveLength(before + 1);
  });

  it('gives an instance started after a verdict the moved threshold: the judged-wrong pair is a miss there too', async () => {
    const stored = await ask(instances[0]!, JUDGED);
    expect(stored.cache).toBe('miss');
    await waitFor(async () => (await semanticRecords()).length >= 4, 50, 20);
    const hit = await ask(instances[1]!, JUDGED_REWORDED);
    expect(hit.cache).toBe('hit');
    const judged = (await outcomeLists()).length;
    expect((await instances[1]!.post('/v1/feedback', { requestId: hit.id, thumbs: 'down' })).status).toBe(200);
    await waitFor(async () => (await outcomeLists()).length === judged + 1, 50, 20);

    const h = await startHarness(env());
    late.push(h);
    await publishOn(h);
    const before = upstream.requests.length;
    const reworded = await ask(h, JUDGED_REWORDED);
    expect(reworded.cache).toBe('miss');
    expect(upstream.requests).toHaveLength(before + 1);
  });

  it('keeps serving with Redis killed: a held rewording still hits, new stores and lookups fail open and are metered', async () => {
    const held = instances[2]!.server.runtime.state.cache.stats().entries;
    const stored = await ask(instances[0]!, 'How can I improve my English speaking skills?');
    expect(stored.cache).toBe('miss');
    // Instance 3 holds the announced question; its answer stays in Redis until a hit fetches it.
    await waitFor(async () => instances[2]!.server.runtime.state.cache.stats().entries === held + 1, 50, 20);
    await redis.kill();
    const onOwner = await ask(instances[0]!, 'how can I improve my english speaking skills');
    expect(onOwner).toMatchObject({ cache: 'hit', text: stored.text });
    const unfetched = await ask(instances[2]!, 'how can I improve my english speaking skills');
    expect(unfetched.cache).toBe('miss');
    const fresh = await ask(instances[1]!, 'What is the tallest mountain in Europe?');
    expect(fresh.cache).toBe('miss');
    const metrics = (i: number) => fetch(`${instances[i]!.url}/metrics`).then((r) => r.text());
    expect(await metrics(2)).toMatch(/tollgate_redis_failures_total\{op="cache.lookup",mode="open"\} \d+/);
    expect(await metrics(1)).toMatch(/tollgate_redis_failures_total\{op="cache.semantic-store",mode="open"\} \d+/);
    await redis.restart();
  });
});
