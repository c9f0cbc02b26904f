import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startHarness, type Harness } from '../http/harness.js';
import { startOpenAIUpstream, type UpstreamServer } from './openai-upstream.js';

/**
 * What the tests of the other answer surfaces (Responses API, Messages API) share: a loopback
 * OpenAI upstream with scripted answers, and a gateway with three policies: as asked, cached, and
 * a team budget of ten requests.
 */
export const asAsked = { id: 'as-asked', name: 'As asked', nodes: [node('req', 'request'), node('route', 'route', { model: '*', retries: 0, backoffMs: 0 })], edges: [edge('req', 'next', 'route')] };
const cached = {
  id: 'cached',
  name: 'Cached',
  nodes: [node('req', 'request'), node('cache', 'cache', { mode: 'exact', ttlSeconds: 600 }), node('route', 'route', { model: '*' })],
  edges: [edge('req', 'next', 'cache'), edge('cache', 'next', 'route')],
};
/** $0.0125 a request (1,250 tokens at $10 per million, the prompt as Tollgate counts it), $0.125 a day per team: ten requests. */
export const REPORT = 'Summarise the quarterly report.';
const PROMPT = countPromptTokens([{ role: 'user', content: REPORT }]);
export const OUTPUT = 1250 - PROMPT;
const REQUEST_MICROS = 12_500;
const LIMIT_MICROS = 125_000;
const budgeted = {
  id: 'team-budget',
  name: 'Team budget',
  nodes: [
    node('req', 'request'),
    node('budget', 'budget', { scope: 'tag:team', limitUsd: 0.125, window: 'day', thresholdPct: 100 }),
    node('refuse', 'block', { status: 429, message: 'Team budget spent.' }),
    node('route', 'route', { model: '*', timeoutMs: 10_000, retries: 0, backoffMs: 0 }),
  ],
  edges: [edge('req', 'next', 'budget'), edge('budget', 'over', 'refuse'), edge('budget', 'ok', 'route')],
};

export interface SurfaceGateway {
  upstream: UpstreamServer;
  h: Harness;
  close(): Promise<void>;
}

/**
 * The upstream answers `metered-4o` with the budget's token counts, a user turn with tools by
 * calling get_weather for Paris, a tool result with the weather, and anything else with
 * `echo <model>: <last content>`.
 */
export async function startSurfaceGateway(): Promise<SurfaceGateway> {
  const upstream = await startOpenAIUpstream({
    respond: (body) => {
      const messages = body.messages as { role: string; content: unknown }[];
      const last = messages.at(-1)!;
      if (body.model === 'metered-4o') return { content: 'Revenue up, costs flat.', usage: { prompt_tokens: PROMPT, completion_tokens: OUTPUT } };
      if (Array.isArray(body.tools) && last.role === 'user') return { content: null, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls' };
      if (last.role === 'tool') return { content: `It is ${String(last.content)} in Paris.` };
      return { content: `echo ${String(body.model)}: ${typeof last.content === 'string' ? last.content : JSON.stringify(last.content)}` };
    },
  });
  const pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  const pricingFile = path.join(pricingDir, 'pricing.json');
  await writeFile(pricingFile, JSON.stringify({ models: { 'gpt-4o-mini': { provider: 'openai', input: 0.15, output: 0.6 }, 'metered-4o': { provider: 'openai', input: 10, output: 10 } } }));
  const h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { pricingFile });
  for (const graph of [asAsked, cached, budgeted]) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
  return {
    upstream,
    h,
    close: async () => {
      await h.close();
      await upstream.close();
      await rm(pricingDir, { recursive: true, force: true });
    },
  };
}

/**
 * One gateway for a test file: started before its tests, closed after them, and the upstream's
 * faults and recorded requests cleared before each test. Read `upstream` and `h` inside tests.
 */
export function useSurfaceGateway(): Omit<SurfaceGateway, 'close'> {
  let gateway: SurfaceGateway | undefined;
  beforeAll(async () => {
    gateway = await startSurfaceGateway();
  });
  afterAll(() => gateway?.close());
  beforeEach(() => {
    gateway!.upstream.setFault(null);
    gateway!.upstream.requests.length = 0;
  });
  return {
    get upstream() {
      return gateway!.upstream;
    },
    get h() {
      return gateway!.h;
    },
  };
}

/** Of 50 parallel calls on the ten-request budget, ten or eleven are admitted, and the ledger books at most the limit plus one request. */
export async function expectBudgetHeld(h: Harness, admitted: number): Promise<void> {
  expect(admitted).toBeGreaterThanOrEqual(10);
  expect(admitted).toBeLessThanOrEqual(11);
  let booked = 0;
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) if (record.tags.team === 'parallel') booked += costMicrosOf(record);
  expect(booked).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  expect(booked).toBeGreaterThanOrEqual(LIMIT_MICROS);
}
