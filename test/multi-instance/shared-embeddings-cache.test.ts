import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { publishOnAll } from './publish-on-all.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';

/**
 * Two Tollgate instances on one real redis-server and one loopback OpenAI upstream: the vectors
 * one instance was asked for are answered by the other from the shared cache, input by input.
 */
let redis: TestRedis;
let upstream: UpstreamServer;
let instances: Harness[];

const graph = {
  id: 'embed-cache',
  name: 'Embeddings cache',
  nodes: [
    { id: 'request', kind: 'request', params: {} },
    { id: 'cache', kind: 'cache', params: { mode: 'exact', ttlSeconds: 600 } },
    { id: 'go', kind: 'route', params: { model: '*' } },
  ],
  edges: [
    { id: 'e1', source: 'request', sourceHandle: 'next', target: 'cache' },
    { id: 'e2', source: 'cache', sourceHandle: 'next', target: 'go' },
  ],
};

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream();
  instances = await Promise.all([0, 1].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' })));
  await publishOnAll(instances, graph);
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
});

const on = (h: Harness) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': graph.id } });

describe('embeddings cached across instances', () => {
  it('answers on the second instance the inputs the first was asked for, and asks the upstream for the new one only', async () => {
    const first = await on(instances[0]!).embeddings.create({ model: 'text-embedding-3-small', input: ['north', 'south'] }).withResponse();
    expect(first.response.headers.get('x-tollgate-cache-hits')).toBe('0/2');
    // The entries (one an input) are written to Redis after the answer.
    const client = new Redis(redis.url);
    try {
      await waitFor(async () => (await client.keys('tg:cache:*')).length === 2, 50, 20);
    } finally {
      client.disconnect();
    }
    upstream.requests.length = 0;
    const second = await on(instances[1]!).embeddings.create({ model: 'text-embedding-3-small', input: ['south', 'east', 'north'] }).withResponse();
    expect(second.response.headers.get('x-tollgate-cache-hits')).toBe('2/3');
    expect(upstream.requests.map((r) => (r.body as { input: unknown }).input)).toEqual(['east']);
    expect(second.data.data.map((d) => d.embedding)).toEqual([first.data.data[1]!.embedding, [0, 4, 1], first.data.data[0]!.embedding]);
  });
});
