import OpenAI from 'openai';
import { publishOnAll } from './publish-on-all.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIBatchUpstream, type OpenAIBatchUpstream } from '../support/openai-batch-upstream.js';
import { statusOf } from '../support/sdk-status.js';

/**
 * A background response accepted by one instance's batch lane, polled only on another (a load
 * balancer need not send the polls back): once the lane has the answer, the response kept in the
 * shared store is completed, so every instance reads it completed and continues from it.
 */
let redis: TestRedis;
let upstream: OpenAIBatchUpstream;
let instances: Harness[];

const graph = {
  id: 'lane',
  name: 'lane',
  nodes: [node('req', 'request'), node('lane', 'batch', { trigger: 'header' }), node('go', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 })],
  edges: [edge('req', 'next', 'lane'), edge('lane', 'next', 'go')],
};

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream', pollsBeforeDone: 2 });
  instances = await Promise.all(
    [0, 1].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { batchMaxSize: 25, batchMaxWaitMs: 100, batchPollMs: 20 })),
  );
  await publishOnAll(instances, graph);
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
});

const on = (h: Harness) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': graph.id } });

describe('background responses across instances', () => {
  it('reads on one instance a background response that the other accepted, completed once its batch has answered', async () => {
    const [a, b] = [on(instances[0]!), on(instances[1]!)];
    const queued = await a.responses.create({ model: 'gpt-4o', input: 'Name a planet.', background: true, metadata: { ticket: 'T-9' } });
    expect(queued.status).toBe('queued');
    // Never read on a: b alone polls.
    const done = await waitFor(async () => {
      const read = await b.responses.retrieve(queued.id);
      expect(['queued', 'in_progress', 'completed']).toContain(read.status);
      return read.status === 'completed' ? read : undefined;
    }, 200, 25);
    expect(done).toMatchObject({ id: queued.id, background: true, metadata: { ticket: 'T-9' } });
    expect(done.output_text).toBe('echo gpt-4o-mini: Name a planet.');

    const next = await b.responses.create({ model: 'gpt-4o', input: 'And a moon?', previous_response_id: queued.id });
    expect(next.previous_response_id).toBe(queued.id);
    expect(next.usage).toMatchObject({ input_tokens: 30 });

    await b.responses.delete(queued.id);
    expect(await statusOf(a.responses.retrieve(queued.id))).toBe(404);
  });
});
