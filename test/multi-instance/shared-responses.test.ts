import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../http/harness.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { statusOf } from '../support/sdk-status.js';

/**
 * Two Tollgate instances (real servers on loopback, each with its own data) on one real
 * redis-server: a Responses API conversation begun on one is continued, read and deleted on the
 * other, and while Redis is down each instance continues the conversations it kept itself.
 */
let redis: TestRedis;
let upstream: UpstreamServer;
let instances: Harness[];

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream();
  instances = await Promise.all([0, 1].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
});

const on = (h: Harness) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
const lastSent = () => (upstream.requests.at(-1)!.body as { messages: { role: string; content: unknown }[] }).messages;

describe('kept responses shared through Redis', () => {
  it('continues on one instance a conversation kept by the other, and a deletion on either holds on both', async () => {
    const [a, b] = [on(instances[0]!), on(instances[1]!)];
    const first = await a.responses.create({ model: 'gpt-4o-mini', input: 'My name is Ada.' });
    const second = await b.responses.create({ model: 'gpt-4o-mini', input: 'What is my name?', previous_response_id: first.id });
    expect(lastSent()).toEqual([
      { role: 'user', content: 'My name is Ada.' },
      { role: 'assistant', content: first.output_text },
      { role: 'user', content: 'What is my name?' },
    ]);
    expect((await a.responses.retrieve(second.id)).output_text).toBe(second.output_text);
    // The third turn, back on a, reads both earlier turns from Redis.
    await a.responses.create({ model: 'gpt-4o-mini', input: 'Spell it.', previous_response_id: second.id });
    expect(lastSent().map((m) => m.content)).toEqual(['My name is Ada.', first.output_text, 'What is my name?', second.output_text, 'Spell it.']);

    const client = new Redis(redis.url);
    try {
      const week = 7 * 86_400_000;
      // The second turn extended the first past its own keep time, with a 24th of it to spare...
      expect(await client.pttl(`tg:response:${first.id}`)).toBeGreaterThan(week);
      expect(await client.pttl(`tg:response:${first.id}`)).toBeLessThanOrEqual(week + week / 24);
      // ...so the next turns extend only the turn before them, to join it.
      const third = await b.responses.create({ model: 'gpt-4o-mini', input: 'Again?', previous_response_id: second.id });
      expect(third.previous_response_id).toBe(second.id);
      expect(await client.pttl(`tg:response:${second.id}`)).toBeGreaterThan(week);
      // A fork from further back never shortens what a later turn extended (PEXPIRE GT).
      const kept = await client.pttl(`tg:response:${first.id}`);
      await client.pexpire(`tg:response:${first.id}`, kept + 3_600_000);
      await a.responses.create({ model: 'gpt-4o-mini', input: 'Another branch.', previous_response_id: first.id });
      expect(await client.pttl(`tg:response:${first.id}`)).toBeGreaterThan(kept + 3_000_000);
    } finally {
      client.disconnect();
    }
    // Deleted through b, the copy a keeps of its own answer no longer answers either.
    await b.responses.delete(first.id);
    expect(await statusOf(a.responses.retrieve(first.id))).toBe(404);
    expect(await statusOf(a.responses.create({ model: 'gpt-4o-mini', input: 'And?', previous_response_id: first.id }))).toBe(400);
  });

  it('with Redis killed, continues what this instance kept, and not what only the other did', async () => {
    const [a, b] = [on(instances[0]!), on(instances[1]!)];
    const kept = await a.responses.create({ model: 'gpt-4o-mini', input: 'Remember the number 7.' });
    const elsewhere = await b.responses.create({ model: 'gpt-4o-mini', input: 'Remember the number 9.' });
    await redis.kill();
    try {
      const continued = await a.responses.create({ model: 'gpt-4o-mini', input: 'Which number?', previous_response_id: kept.id });
      expect(continued.previous_response_id).toBe(kept.id);
      expect(lastSent()[0]).toEqual({ role: 'user', content: 'Remember the number 7.' });
      expect(await statusOf(a.responses.create({ model: 'gpt-4o-mini', input: 'Which number?', previous_response_id: elsewhere.id }))).toBe(400);
    } finally {
      await redis.restart();
    }
  });
});
