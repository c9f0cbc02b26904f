import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph.js';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { meteredPricing, messages, OUTPUT, PROMPT, REQUEST_MICROS, teamBudgetGraph } from './team-budget-fixture.js';

/**
 * Three Tollgate instances (each its own rules and data folders, as on three machines) on one
 * real redis-server, all calling one loopback OpenAI upstream that charges $0.001 a request
 * (team-budget-fixture.ts): a budget of $0.01 is ten requests.
 */
const LIMIT_USD = 0.01;
const LIMIT_MICROS = 10_000;

let redis: TestRedis;
let upstream: UpstreamServer;
let instances: Harness[];
/** A fourth instance on the same Redis whose budgets fail open. */
let failingOpen: Harness;
let pricingDir: string;

const budgeted = teamBudgetGraph;

const unbudgeted = {
  id: 'no-budget',
  name: 'No budget',
  version: 1,
  nodes: [
    { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
    { id: 'go', kind: 'route', label: 'Go', position: { x: 200, y: 0 }, params: { model: 'metered-mini', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
  ],
  edges: [{ id: 'request.next', source: 'request', sourceHandle: 'next', target: 'go' }],
} as Graph;

beforeAll(async () => {
  redis = await startRedis();
  upstream = await startOpenAIUpstream({ respond: () => ({ content: 'Revenue up, costs flat.', usage: { prompt_tokens: PROMPT, completion_tokens: OUTPUT } }) });
  const pricing = await meteredPricing();
  pricingDir = pricing.dir;
  const pricingFile = pricing.file;
  const env = { TOLLGATE_REDIS_URL: redis.url, OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' };
  instances = await Promise.all([0, 1, 2].map(() => startHarness(env, { pricingFile })));
  failingOpen = await startHarness(env, { pricingFile, budgetFailMode: 'open' });
  // Published on each (not through the bus), so every instance has both before the first request.
  for (const h of [...instances, failingOpen]) {
    for (const graph of [budgeted(LIMIT_USD), unbudgeted]) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
  }
});
afterAll(async () => {
  await Promise.all([...(instances ?? []), failingOpen].filter(Boolean).map((h) => h.close()));
  await upstream?.close();
  await redis?.stop();
  await rm(pricingDir, { recursive: true, force: true });
});

const at = (i: number) => instances[i % instances.length]!;

/** What every 429 said, newest last. */
const refusals: string[] = [];

/** Asks through the official SDK as team `team`; the status it ended with (200, or the error's). */
async function ask(h: Harness, team: string, policy = 'team-budget'): Promise<number> {
  const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policy, 'x-tollgate-tags': `team=${team}` } });
  try {
    await client.chat.completions.create({ model: 'metered-mini', messages, max_tokens: OUTPUT });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError) {
      if (error.status === 429) refusals.push(error.message);
      return error.status ?? 0;
    }
    throw error;
  }
}

async function bookedMicros(team: string): Promise<number> {
  let booked = 0;
  for (const h of [...instances, failingOpen]) {
    for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) if (record.tags.team === team && record.status === 200) booked += costMicrosOf(record);
  }
  return booked;
}

async function heldMicros(team: string): Promise<number> {
  const client = new Redis(redis.url);
  try {
    return Number((await client.get(`tg:held:tag:team=${team}`)) ?? 0);
  } finally {
    client.disconnect();
  }
}

describe('budgets shared by three instances on one Redis', () => {
  it('admits at most 11 (and at least 10) of 60 parallel requests spread over three instances on a 10-request budget', async () => {
    // Slow answers keep every admitted request in flight while the others are decided.
    upstream.setFault({ hangMs: 300 });
    const statuses = await Promise.all(Array.from({ length: 60 }, (_, i) => ask(at(i), 'parallel')));
    upstream.setFault(null);
    const served = statuses.filter((s) => s === 200).length;
    expect(served).toBeGreaterThanOrEqual(10);
    expect(served).toBeLessThanOrEqual(11);
    expect(statuses.filter((s) => s === 429)).toHaveLength(60 - served);
    // Those that lost the race to the last of the budget were decided again and took the policy's own "over" branch.
    expect(refusals.filter((m) => m.includes('Team budget spent.'))).toHaveLength(60 - served);
    const booked = await bookedMicros('parallel');
    expect(booked).toBe(served * REQUEST_MICROS);
    expect(booked).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
    // Every instance refuses the team now, including any that admitted none of its ten.
    for (const i of [0, 1, 2]) expect(await ask(at(i), 'parallel')).toBe(429);
    expect(await ask(at(0), 'someone-else')).toBe(200);
    // A preview on /v1/decide reads the shared spend too, and holds nothing.
    const decide = async (team: string) => {
      const response = await at(2).post('/v1/decide', { model: 'metered-mini', messages, max_tokens: OUTPUT }, { 'x-tollgate-policy': 'team-budget', 'x-tollgate-tags': `team=${team}` });
      return ((await response.json()) as { rule: string }).rule;
    };
    expect(await decide('parallel')).not.toBe(await decide('unspent'));
    expect(await heldMicros('unspent')).toBe(0);
    await waitFor(async () => (await heldMicros('parallel')) === 0, 50, 20);
  });

  it('gives back the hold of a request whose upstream fails: the budget stays whole for the next', async () => {
    upstream.setFault({ status: 500, times: 3 });
    const failed = await Promise.all([0, 1, 2].map((i) => ask(at(i), 'failing')));
    expect(failed.every((s) => s >= 500)).toBe(true);
    await waitFor(async () => (await heldMicros('failing')) === 0, 50, 20);
    const statuses = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(at(i), 'failing')));
    expect(statuses.filter((s) => s === 200)).toHaveLength(10);
    expect(await bookedMicros('failing')).toBe(LIMIT_MICROS);
  });

  it('fails closed while Redis is down (503 naming the cause, metered), serves unbudgeted paths, and remembers spend once Redis is back empty', async () => {
    await redis.kill();
    const refused = await fetch(`${at(1).url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tollgate-policy': 'team-budget', 'x-tollgate-tags': 'team=outage' },
      body: JSON.stringify({ model: 'metered-mini', messages, max_tokens: OUTPUT }),
    });
    expect(refused.status).toBe(503);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('budget_unavailable');
    expect(body.error.message).toMatch(/Redis is not reachable/);
    const during = await Promise.all(Array.from({ length: 6 }, (_, i) => ask(at(i), 'outage')));
    expect(during).toEqual([503, 503, 503, 503, 503, 503]);
    expect(await ask(at(2), 'outage', 'no-budget')).toBe(200);
    expect(await ask(failingOpen, 'outage')).toBe(200);
    const metrics = await (await fetch(`${at(1).url}/metrics`)).text();
    expect(metrics).toMatch(/tollgate_redis_failures_total\{op="budget.read",mode="closed"\} \d+/);
    expect(await bookedMicros('outage')).toBe(2 * REQUEST_MICROS);

    await redis.restart();
    await waitFor(async () => [...instances, failingOpen].every((h) => h.server.runtime.state.redis?.connected), 100, 50);
    // Each instance wrote its share back from its own ledger on reconnecting, before anything else on that connection.
    for (const i of [0, 1, 2]) expect(await ask(at(i), 'parallel')).toBe(429);
    expect(await ask(at(1), 'failing')).toBe(429);
    // The outage's two answers (one budgeted, on the open instance) count too: eight more fit.
    const after = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(at(i), 'outage')));
    expect(after.filter((s) => s === 200)).toHaveLength(8);
  });
});
