import { rm } from 'node:fs/promises';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertsResponseSchema, type AlertEntry } from '../../shared/alerts-api.js';
import { startHarness, type Harness } from '../http/harness.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { webhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { meteredPricing, messages, OUTPUT, PROMPT, teamBudgetGraph } from './team-budget-fixture.js';

/**
 * Three instances on one real redis-server share a team's $0.01 daily budget ($0.001 a request,
 * team-budget-fixture.ts). Each instance books only about a third of the spend, so an alert
 * that read its own book would never reach 80%; read from Redis, the crossing is seen, and the
 * instances that see it together post it once.
 */
let redis: TestRedis;
let upstream: UpstreamServer;
let hook: WebhookReceiver;
let instances: Harness[];
let pricingDir: string;
const graph = teamBudgetGraph(0.01);

beforeAll(async () => {
  redis = await startRedis();
  hook = await webhookReceiver();
  upstream = await startOpenAIUpstream({ respond: () => ({ content: 'Revenue up, costs flat.', usage: { prompt_tokens: PROMPT, completion_tokens: OUTPUT } }) });
  const pricing = await meteredPricing();
  pricingDir = pricing.dir;
  const pricingFile = pricing.file;
  const env = { TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_ALERT_WEBHOOK: hook.url };
  instances = await Promise.all([0, 1, 2].map(() => startHarness(env, { pricingFile })));
  for (const h of instances) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await upstream?.close();
  await hook?.close();
  await redis?.stop();
  await rm(pricingDir, { recursive: true, force: true });
});

async function ask(h: Harness): Promise<number> {
  const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': graph.id, 'x-tollgate-tags': 'team=search' } });
  try {
    await client.chat.completions.create({ model: 'metered-mini', messages, max_tokens: OUTPUT });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError) return error.status ?? 0;
    throw error;
  }
}

async function alertsOf(h: Harness): Promise<AlertEntry[]> {
  const res = await fetch(`${h.url}/api/alerts`);
  expect(res.status).toBe(200);
  return AlertsResponseSchema.parse(await res.json()).alerts.filter((a) => a.kind === 'budget');
}

describe('budget alerts across instances sharing Redis', () => {
  it('60 parallel requests over three instances: the shared crossing is posted once per threshold, the other instances list it as sent elsewhere', async () => {
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => ask(instances[i % 3]!)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(10);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(11);

    // Every instance that raised an alert has finished with it (delivered here, or claimed by another).
    await expect
      .poll(async () => (await Promise.all(instances.map(alertsOf))).flat().every((a) => a.status === 'delivered' || a.status === 'elsewhere'), { timeout: 10_000 })
      .toBe(true);
    const all = (await Promise.all(instances.map(alertsOf))).flat();
    expect(all.length).toBeGreaterThan(0);
    expect(hook.bodies.length).toBeGreaterThan(0);
    // One POST per threshold crossed, however many instances saw it.
    const posted = hook.bodies.map((b) => b.text);
    expect(new Set(posted).size).toBe(posted.length);
    for (const text of posted) expect(text).toMatch(/team-budget tag:team=search day (80|100)%/);
    expect(all.filter((a) => a.status === 'delivered')).toHaveLength(posted.length);
    // The crossing was seen by more than the one instance that posted it.
    expect(all.some((a) => a.status === 'elsewhere')).toBe(true);
  });
});
