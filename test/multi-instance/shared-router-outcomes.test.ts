import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import type { RouterStateResponse } from '../../shared/router-state-api.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';

/**
 * The learned router's online correction across instances (real servers on loopback, each with
 * its own rules and data, on one real redis-server): feedback booked on one instance moves the
 * router on the others, and an instance started later catches up.
 */
const CHEAP = 'gpt-4o-mini';
const STRONG = 'gpt-4o';
/** Open translation prompts that cost-router's learned router sends cheap at 95% (as in test/http/router-online-learning.test.ts). */
const prompt = (i: number) => `Translate into French: good morning, my name is Ada and I would like a table for two people tonight at eight o'clock please, booking ${i}.`;

let redis: TestRedis;
let upstream: UpstreamServer;
let instances: Harness[] = [];

const env = () => ({ TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' });

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream();
  instances = await Promise.all([0, 1].map(() => startHarness(env())));
});
afterAll(async () => {
  await Promise.all(instances.map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
});

async function ask(h: Harness, content: string): Promise<{ model: string | null; id: string }> {
  const { response } = await h.client.chat.completions.create({ model: STRONG, messages: [{ role: 'user', content }] }).withResponse();
  return { model: response.headers.get('x-tollgate-model'), id: response.headers.get('x-tollgate-request-id')! };
}

async function routerState(h: Harness): Promise<RouterStateResponse> {
  const res = await fetch(`${h.url}/api/router/state`);
  expect(res.status).toBe(200);
  return (await res.json()) as RouterStateResponse;
}

async function decide(h: Harness, content: string): Promise<DecideResponse> {
  const res = await h.post('/v1/decide', { model: STRONG, messages: [{ role: 'user', content }] });
  expect(res.status).toBe(200);
  return (await res.json()) as DecideResponse;
}

const translateCell = async (h: Harness) => (await routerState(h)).adjustments.find((a) => a.shape === 'open' && a.taskType === 'translate');

describe('the learned router across instances', () => {
  it('moves on every instance when feedback is booked on one, and an instance started later catches up', async () => {
    const [a, b] = instances as [Harness, Harness];
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const answer = await ask(a, prompt(i));
      expect(answer.model).toBe(CHEAP);
      ids.push(answer.id);
    }
    // Before any feedback, the other instance sends the same kind of prompt cheap too.
    expect((await decide(b, prompt(100))).model).toBe(CHEAP);

    await Promise.all(ids.map(async (requestId) => expect((await a.post('/v1/feedback', { requestId, thumbs: 'down' })).status).toBe(200)));
    const onA = (await translateCell(a))!;
    expect(onA.cheap.outcomes).toBeCloseTo(60, 0);
    expect(onA.shift).toBeGreaterThan(0.9);

    // B booked none of it, and learned all of it.
    // Up to 5 s: under a full test run the other instance's catch-up over Redis took longer than 2 s once.
    // Near, not equal: B folds the outcomes in the order they reach it, and the tallies decay.
    await waitFor(async () => Math.abs(((await translateCell(b))?.cheap.outcomes ?? 0) - onA.cheap.outcomes) < 0.01, 100, 50);
    expect((await translateCell(b))!.shift).toBeCloseTo(onA.shift, 3);
    expect((await decide(b, prompt(101))).model).toBe(STRONG);
    expect((await ask(b, prompt(102))).model).toBe(STRONG);

    // C starts after the feedback: it catches up from the outcomes kept in Redis.
    const c = await startHarness(env());
    instances.push(c);
    const onC = (await translateCell(c))!;
    expect(onC.cheap.outcomes).toBeCloseTo(60, 0);
    expect(onC.shift).toBeCloseTo(onA.shift, 3);
    expect((await ask(c, prompt(103))).model).toBe(STRONG);
  });

  it('counts a re-rating once on every instance: thumbs-up replacing thumbs-down leaves one outcome, now good', async () => {
    const [a, b] = instances as [Harness, Harness];
    const before = (await translateCell(b))!.strong;
    // After the test above, such prompts go strong: the rating lands on the strong branch's tally.
    const { id, model } = await ask(a, prompt(200));
    expect(model).toBe(STRONG);
    expect((await a.post('/v1/feedback', { requestId: id, thumbs: 'down' })).status).toBe(200);
    await waitFor(async () => (await translateCell(b))!.strong.outcomes > before.outcomes + 0.5, 50, 40);
    expect((await translateCell(b))!.strong.quality).toBe(0);
    expect((await a.post('/v1/feedback', { requestId: id, thumbs: 'up' })).status).toBe(200);
    await waitFor(async () => (await translateCell(b))!.strong.quality! > 0, 50, 40);
    const after = (await translateCell(b))!.strong;
    expect(after.outcomes).toBeCloseTo(before.outcomes + 1, 0);
    expect(after.quality).toBe(1);
  });
});
