import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hello, startHarness, type Harness } from '../http/harness.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

/**
 * One Tollgate instance on a real redis-server that is then killed: each budget and rate-limit
 * gate answers by its own `whenRedisDown`, and a gate without one by the instance's settings
 * (TOLLGATE_BUDGET_FAIL_MODE closed, TOLLGATE_RATE_LIMIT_FAIL_MODE open: the defaults).
 */
let redis: TestRedis;
let instance: Harness;

const route = { id: 'go', kind: 'route', params: { model: 'gpt-4o-mini' } };
const refuse = { id: 'refuse', kind: 'block', params: { status: 429, message: 'Refused by the gate.' } };

function gated(id: string, gate: { kind: 'budget' | 'rateLimit'; params: Record<string, unknown> }) {
  const [ok, refused] = gate.kind === 'budget' ? ['ok', 'over'] : ['ok', 'limited'];
  return {
    id,
    name: id,
    nodes: [{ id: 'request', kind: 'request', params: {} }, { id: 'gate', ...gate }, route, refuse],
    edges: [
      { id: 'e1', source: 'request', sourceHandle: 'next', target: 'gate' },
      { id: 'e2', source: 'gate', sourceHandle: ok, target: 'go' },
      { id: 'e3', source: 'gate', sourceHandle: refused, target: 'refuse' },
    ],
  };
}

const policies = [
  gated('budget-open', { kind: 'budget', params: { scope: 'global', limitUsd: 100, window: 'day', whenRedisDown: 'open' } }),
  gated('budget-unset', { kind: 'budget', params: { scope: 'global', limitUsd: 100, window: 'day' } }),
  gated('rate-closed', { kind: 'rateLimit', params: { scope: 'serviceKey', rpm: 1000, whenRedisDown: 'closed' } }),
  gated('rate-unset', { kind: 'rateLimit', params: { scope: 'serviceKey', rpm: 1000 } }),
];

beforeAll(async () => {
  redis = await startRedis();
  instance = await startHarness({ TOLLGATE_REDIS_URL: redis.url });
  for (const graph of policies) expect((await instance.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await instance?.close();
  await redis?.stop();
});

/** Asks through the official SDK on one policy; the status it ended with (200, or the error's) and the error code. */
async function ask(policy: string): Promise<{ status: number; code?: string | null | undefined }> {
  const client = new OpenAI({ baseURL: `${instance.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policy } });
  try {
    await client.chat.completions.create(hello());
    return { status: 200 };
  } catch (error) {
    if (error instanceof OpenAI.APIError) return { status: error.status ?? 0, code: error.code };
    throw error;
  }
}

const fifty = (policy: string) => Promise.all(Array.from({ length: 50 }, () => ask(policy)));
const statuses = (answers: { status: number }[]) => [...new Set(answers.map((a) => a.status))];

describe('policy-chosen fail modes while Redis is down', () => {
  it('compiles whenRedisDown into the fact params only when it is set', () => {
    const paramsOf = (id: string) => instance.server.runtime.store.get(id)?.ruleFile.rules.flatMap((r) => JSON.stringify(r.conditions)).join('');
    expect(paramsOf('budget-open')).toContain('"whenRedisDown":"open"');
    expect(paramsOf('rate-closed')).toContain('"whenRedisDown":"closed"');
    expect(paramsOf('budget-unset')).not.toContain('whenRedisDown');
    expect(paramsOf('rate-unset')).not.toContain('whenRedisDown');
  });

  it('admits everything while Redis is up', async () => {
    for (const policy of policies) expect((await ask(policy.id)).status).toBe(200);
  });

  it('with Redis killed, 50 parallel requests per policy: open budget admits, unset budget 503s, closed rate limit refuses, unset rate limit admits', async () => {
    await redis.kill();
    const [budgetOpen, budgetUnset, rateClosed, rateUnset] = await Promise.all(policies.map((p) => fifty(p.id)));
    expect(statuses(budgetOpen!)).toEqual([200]);
    expect(statuses(budgetUnset!)).toEqual([503]);
    expect(new Set(budgetUnset!.map((a) => a.code))).toEqual(new Set(['budget_unavailable']));
    // The closed limit answers "limited", so the policy's own branch refuses.
    expect(statuses(rateClosed!)).toEqual([429]);
    expect(statuses(rateUnset!)).toEqual([200]);
    const metrics = await (await fetch(`${instance.url}/metrics`)).text();
    expect(metrics).toMatch(/tollgate_redis_failures_total\{op="rate.admit",mode="open"\} \d+/);
  });
});
