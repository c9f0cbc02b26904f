import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { Graph } from '../../shared/graph.js';
import type { RouterAdjustment, RouterStateResponse } from '../../shared/router-state-api.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

/**
 * A cascade through real HTTP: the learned router sends an open question to the cheap model
 * (OpenAI's wire format on one loopback server), checks its answer, and asks the strong model
 * (a second OpenAI-compatible server, named provider `vllm`, so it can fail on its own) when the
 * answer looks wrong. The answer-check test files each start one.
 */
export const PROBLEM =
  'Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers’ market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers’ market?';
export const WRONG = 'Janet has 16 - 3 = 12 eggs after breakfast.\nThen 12 - 4 = 9.5 eggs are left.\nShe makes 9.5 / 2 = 4.75 dollars, approximately.';
export const RIGHT = 'She eats 3 and bakes with 4, so 16 - 3 - 4 = 9 eggs are left.\nShe sells them for 9 * $2 = $18.\n#### 18';
export const STRONG_ANSWER = 'She sells 16 - 3 - 4 = 9 eggs at $2 each, so she makes 9 * 2 = $18 a day.\n#### 18';
export const CHOICE = 'Which of these is a prime number?\nA. 21\nB. 27\nC. 29\nD. 33\nAnswer:';
export const STRONG_JSON = '{"colours": ["red", "blue"]}';
/** Scored under the open threshold at 95%: routed cheap by the prompt, so the cheap answer is checked. */
export const COLOURS = 'Give me a JSON object with the names of two primary colours.';
export const WEATHER = 'What is the weather in Paris right now?';
export const WEATHER_TOOL = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } };

export const CHEAP = 'check-mini';
export const STRONG = 'check-strong';
/** As Tollgate counts them, so a budget's hold (estimated from the prompt and max_tokens) is what the call costs. */
export const PROMPT_TOKENS = countPromptTokens([{ role: 'user', content: PROBLEM }]);
export const OUTPUT_TOKENS = 80;
/** $1 per million in and out for the cheap model, $10 for the strong one. */
export const CHEAP_MICROS = PROMPT_TOKENS + OUTPUT_TOKENS;
export const STRONG_MICROS = 10 * (PROMPT_TOKENS + OUTPUT_TOKENS);
/** The checked-budget policy's limit: $0.05 a day per team. */
export const BUDGET_MICROS = 50_000;

/**
 * Published on every cascade: `checked` (a learned router at 95% that checks whole answers),
 * `checked-budget` (the same behind a team budget) and `checked-streams` (streams checked too).
 */
function graph(id: string, withBudget: boolean, checkStreams = false): Graph {
  const route = (model: string, provider: string) => ({ model, provider, timeoutMs: 5_000, retries: 0, backoffMs: 0 });
  return {
    id,
    name: 'Checked cascade',
    description: 'Open questions cheap first; a cheap answer that fails the check is asked again of the strong model.',
    version: 1,
    nodes: [
      { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
      ...(withBudget
        ? [
            { id: 'budget', kind: 'budget', label: 'Team budget', position: { x: 150, y: 0 }, params: { scope: 'tag:team', limitUsd: BUDGET_MICROS / 1e6, window: 'day', thresholdPct: 100 } },
            { id: 'refuse', kind: 'block', label: 'Spent', position: { x: 300, y: 200 }, params: { status: 429, message: 'Team budget spent.' } },
          ]
        : []),
      { id: 'smart', kind: 'smartRoute', label: 'Learned router', position: { x: 300, y: 0 }, params: { qualityTarget: 95, checkAnswers: true, checkStreams } },
      { id: 'cheap', kind: 'route', label: 'Cheap', position: { x: 500, y: -100 }, params: route(CHEAP, 'openai') },
      { id: 'strong', kind: 'route', label: 'Strong', position: { x: 500, y: 100 }, params: route(STRONG, 'vllm') },
    ],
    edges: [
      ...(withBudget
        ? [
            { id: 'request.next', source: 'request', sourceHandle: 'next', target: 'budget' },
            { id: 'budget.ok', source: 'budget', sourceHandle: 'ok', target: 'smart' },
            { id: 'budget.over', source: 'budget', sourceHandle: 'over', target: 'refuse' },
          ]
        : [{ id: 'request.next', source: 'request', sourceHandle: 'next', target: 'smart' }]),
      { id: 'smart.cheap', source: 'smart', sourceHandle: 'cheap', target: 'cheap' },
      { id: 'smart.strong', source: 'smart', sourceHandle: 'strong', target: 'strong' },
    ],
  } as Graph;
}

const lastUser = (body: Record<string, unknown>) => {
  const messages = body.messages as { role: string; content: string }[];
  return messages.filter((m) => m.role === 'user').at(-1)!.content;
};

export type CheckedState = NonNullable<RouterAdjustment['answerCheck']>;

export interface Cascade {
  h: Harness;
  cheapUpstream: UpstreamServer;
  strongUpstream: UpstreamServer;
  /** What the cheap model answers, by prompt ("C" otherwise); cleared before each test. */
  cheapAnswers: Map<string, string>;
  /** Tool calls the cheap model makes instead, by prompt; cleared before each test. */
  cheapToolCalls: Map<string, { id: string; name: string; arguments: string }[]>;
  /** One question through the SDK, asking for the strong model under `policy`. */
  ask(content: string, policy?: string, headers?: Record<string, string>): Promise<{ data: ChatCompletion; response: Response }>;
  ledger(): Promise<LedgerRecord[]>;
  /** The ledger record of a request id, once it is written. */
  recordOf(id: string): Promise<LedgerRecord>;
  /** The answer check's state of the checked router's open maths cell, from GET /api/router/state (null before feedback reached it). */
  checkedState(): Promise<CheckedState | null>;
}

/**
 * Starts a cascade for the calling test file (before its tests, closed after them) and resets
 * the upstreams' faults, request logs and canned answers before each test.
 */
export function useCascade(): Cascade {
  const cascade = {} as Cascade;
  let pricingDir = '';
  beforeAll(async () => {
    const cheapAnswers = new Map<string, string>();
    const cheapToolCalls = new Map<string, { id: string; name: string; arguments: string }[]>();
    const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: OUTPUT_TOKENS };
    const cheapUpstream = await startOpenAIUpstream({
      respond: (body) => {
        const calls = cheapToolCalls.get(lastUser(body));
        return calls ? { content: null, toolCalls: calls, usage } : { content: cheapAnswers.get(lastUser(body)) ?? 'C', usage };
      },
    });
    const strongUpstream = await startOpenAIUpstream({
      respond: (body) =>
        body.tools ? { content: null, toolCalls: [{ id: 'call_strong', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage } : { content: body.response_format ? STRONG_JSON : STRONG_ANSWER, usage },
    });
    pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
    const pricingFile = path.join(pricingDir, 'pricing.json');
    await writeFile(pricingFile, JSON.stringify({ models: { [CHEAP]: { provider: 'openai', input: 1, output: 1 } } }));
    const providers = [{ name: 'vllm', baseUrl: strongUpstream.url, prices: { [STRONG]: { input: 10, output: 10 } } }];
    const h = await startHarness({ OPENAI_BASE_URL: cheapUpstream.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_PROVIDERS: JSON.stringify(providers) }, { pricingFile });
    for (const g of [graph('checked', false), graph('checked-budget', true), graph('checked-streams', false, true)]) expect((await h.post(`/api/policies/${g.id}/publish`, { graph: g })).status).toBe(200);

    const ledger = async () => {
      const records: LedgerRecord[] = [];
      for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) records.push(record);
      return records;
    };
    Object.assign(cascade, {
      h,
      cheapUpstream,
      strongUpstream,
      cheapAnswers,
      cheapToolCalls,
      ask: (content: string, policy = 'checked', headers: Record<string, string> = {}) =>
        h.client.chat.completions
          .create({ model: STRONG, messages: [{ role: 'user', content }], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': policy, ...headers } })
          .withResponse(),
      ledger,
      recordOf: async (id: string) => {
        let found: LedgerRecord | undefined;
        await waitFor(async () => (found = (await ledger()).find((r) => r.id === id)) !== undefined, 50, 20);
        return found!;
      },
      checkedState: async () => {
        const res = await fetch(`${h.url}/api/router/state`);
        expect(res.status).toBe(200);
        const state = (await res.json()) as RouterStateResponse;
        return state.adjustments.find((a) => a.answerCheck)?.answerCheck ?? null;
      },
    } satisfies Cascade);
  });
  afterAll(async () => {
    await cascade.h?.close();
    await cascade.cheapUpstream?.close();
    await cascade.strongUpstream?.close();
    if (pricingDir) await rm(pricingDir, { recursive: true, force: true });
  });
  beforeEach(() => {
    cascade.cheapUpstream.setFault(null);
    cascade.strongUpstream.setFault(null);
    cascade.cheapUpstream.requests.length = 0;
    cascade.strongUpstream.requests.length = 0;
    cascade.cheapAnswers.clear();
    cascade.cheapToolCalls.clear();
  });
  return cascade;
}
