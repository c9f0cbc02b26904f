import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import type { Graph } from '../../shared/graph.js';
import type { UsageResponse } from '../../shared/usage-api.js';
import type { RouterAdjustment, RouterStateResponse } from '../../shared/router-state-api.js';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { costMicrosOf, type LedgerRecord } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { ANSWER_CHECK_WEIGHTS, answerCheckScore } from '../../server/routing/answer-check-model.js';
import { assembleChunks } from '../support/collect-stream.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

/**
 * A cascade through real HTTP: the learned router sends an open question to the cheap model
 * (OpenAI's wire format on one loopback server), checks its answer, and asks the strong model
 * (a second OpenAI-compatible server, named provider `vllm`, so it can fail on its own) when the
 * answer looks wrong.
 */
const PROBLEM =
  'Janet’s ducks lay 16 eggs per day. She eats three for breakfast every morning and bakes muffins for her friends every day with four. She sells the remainder at the farmers’ market daily for $2 per fresh duck egg. How much in dollars does she make every day at the farmers’ market?';
const WRONG = 'Janet has 16 - 3 = 12 eggs after breakfast.\nThen 12 - 4 = 9.5 eggs are left.\nShe makes 9.5 / 2 = 4.75 dollars, approximately.';
const RIGHT = 'She eats 3 and bakes with 4, so 16 - 3 - 4 = 9 eggs are left.\nShe sells them for 9 * $2 = $18.\n#### 18';
const STRONG_ANSWER = 'She sells 16 - 3 - 4 = 9 eggs at $2 each, so she makes 9 * 2 = $18 a day.\n#### 18';
const CHOICE = 'Which of these is a prime number?\nA. 21\nB. 27\nC. 29\nD. 33\nAnswer:';

const CHEAP = 'check-mini';
const STRONG = 'check-strong';
/** As Tollgate counts them, so a budget's hold (estimated from the prompt and max_tokens) is what the call costs. */
const PROMPT_TOKENS = countPromptTokens([{ role: 'user', content: PROBLEM }]);
const OUTPUT_TOKENS = 80;
/** $1 per million in and out for the cheap model, $10 for the strong one. */
const CHEAP_MICROS = PROMPT_TOKENS + OUTPUT_TOKENS;
const STRONG_MICROS = 10 * (PROMPT_TOKENS + OUTPUT_TOKENS);

let cheapUpstream: UpstreamServer;
let strongUpstream: UpstreamServer;
let h: Harness;
let pricingDir: string;
/** What the cheap model answers next, by prompt. */
const cheapAnswers = new Map<string, string>();
/** Tool calls the cheap model makes instead, by prompt. */
const cheapToolCalls = new Map<string, { id: string; name: string; arguments: string }[]>();
const STRONG_JSON = '{"colours": ["red", "blue"]}';
/** Scored under the open threshold at 95%: routed cheap by the prompt, so the cheap answer is checked. */
const COLOURS = 'Give me a JSON object with the names of two primary colours.';
const WEATHER = 'What is the weather in Paris right now?';
const WEATHER_TOOL = { type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', required: ['city'], properties: { city: { type: 'string' } } } } };

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
            { id: 'budget', kind: 'budget', label: 'Team budget', position: { x: 150, y: 0 }, params: { scope: 'tag:team', limitUsd: 0.05, window: 'day', thresholdPct: 100 } },
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

beforeAll(async () => {
  const usage = { prompt_tokens: PROMPT_TOKENS, completion_tokens: OUTPUT_TOKENS };
  cheapUpstream = await startOpenAIUpstream({
    respond: (body) => {
      const calls = cheapToolCalls.get(lastUser(body));
      return calls ? { content: null, toolCalls: calls, usage } : { content: cheapAnswers.get(lastUser(body)) ?? 'C', usage };
    },
  });
  strongUpstream = await startOpenAIUpstream({
    respond: (body) =>
      body.tools ? { content: null, toolCalls: [{ id: 'call_strong', name: 'get_weather', arguments: '{"city":"Paris"}' }], usage } : { content: body.response_format ? STRONG_JSON : STRONG_ANSWER, usage },
  });
  pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  const pricingFile = path.join(pricingDir, 'pricing.json');
  await writeFile(pricingFile, JSON.stringify({ models: { [CHEAP]: { provider: 'openai', input: 1, output: 1 } } }));
  const providers = [{ name: 'vllm', baseUrl: strongUpstream.url, prices: { [STRONG]: { input: 10, output: 10 } } }];
  h = await startHarness({ OPENAI_BASE_URL: cheapUpstream.url, OPENAI_API_KEY: 'sk-upstream', TOLLGATE_PROVIDERS: JSON.stringify(providers) }, { pricingFile });
  for (const g of [graph('checked', false), graph('checked-budget', true), graph('checked-streams', false, true)]) expect((await h.post(`/api/policies/${g.id}/publish`, { graph: g })).status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await cheapUpstream?.close();
  await strongUpstream?.close();
  await rm(pricingDir, { recursive: true, force: true });
});
beforeEach(() => {
  cheapUpstream.setFault(null);
  strongUpstream.setFault(null);
  cheapUpstream.requests.length = 0;
  strongUpstream.requests.length = 0;
  cheapAnswers.clear();
  cheapToolCalls.clear();
});

async function ledger(): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) records.push(record);
  return records;
}
async function recordOf(id: string): Promise<LedgerRecord> {
  let found: LedgerRecord | undefined;
  await waitFor(async () => (found = (await ledger()).find((r) => r.id === id)) !== undefined, 50, 20);
  return found!;
}

function ask(content: string, policy = 'checked', headers: Record<string, string> = {}) {
  return h.client.chat.completions
    .create({ model: STRONG, messages: [{ role: 'user', content }], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': policy, ...headers } })
    .withResponse();
}

describe('a learned router that checks cheap answers (a cascade)', () => {
  const threshold = answerCheckCalibrationFor(95).threshold;

  it('scores the wrong worked answer above the threshold and the right one below it (the premise of what follows)', () => {
    expect(answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, WRONG)).toBeGreaterThanOrEqual(threshold);
    expect(answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, RIGHT)).toBeLessThan(threshold);
  });

  it('asks the strong model again when the cheap answer fails the check, and books one request that paid for both', async () => {
    cheapAnswers.set(PROBLEM, WRONG);
    const { data, response } = await ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(response.headers.get('x-tollgate-model')).toBe(STRONG);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; score=[\d.]+; threshold=/);
    expect(cheapUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual([CHEAP]);
    expect(strongUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual([STRONG]);

    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record).toMatchObject({ servedModel: STRONG, provider: 'vllm', rule: expect.stringContaining('strong'), attempts: 2, status: 200 });
    expect(record.answerCheck).toMatchObject({ node: 'smart', escalated: true, threshold, cheap: { model: CHEAP, inputTokens: PROMPT_TOKENS, outputTokens: OUTPUT_TOKENS, costMicros: CHEAP_MICROS } });
    expect(record.answerCheck!.reasons.length).toBeGreaterThan(0);
    expect(record.answerCheck!.kept).toBeUndefined();
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);
    // Asked for the strong model and served it, after a discarded cheap call: that call was lost.
    expect(record.savedUsd).toBeCloseTo(-CHEAP_MICROS / 1e6, 9);
    // The online router learns only from answers the check let through.
    expect(record.router).toBeUndefined();
  });

  it('serves a cheap answer that passes the check, calling the strong model not at all', async () => {
    cheapAnswers.set(PROBLEM, RIGHT);
    const { data, response } = await ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(RIGHT);
    expect(response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
    expect(strongUpstream.requests).toHaveLength(0);
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: false });
    expect(record.answerCheck!.cheap).toBeUndefined();
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
    expect(record.router).toMatchObject({ branch: 'cheap', shape: 'open' });
  });

  it('keeps the cheap answer, and says why, when the strong provider fails', async () => {
    cheapAnswers.set(PROBLEM, WRONG);
    strongUpstream.setFault({ status: 503 });
    const { data, response } = await ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(WRONG);
    expect(response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^kept; /);
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: true });
    expect(record.answerCheck!.kept).toMatch(/strong path failed/);
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
  });

  it('routes a multiple-choice question by the prompt alone: a one-letter answer has nothing to check', async () => {
    const { response } = await ask(CHOICE);
    expect(response.headers.get('x-tollgate-answer-check')).toBeNull();
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toBeUndefined();
  });

  it('routes a streamed request by the prompt and streams it as it comes: its answer is out before it could be checked', async () => {
    cheapAnswers.set(PROBLEM, WRONG);
    const stream = await h.client.chat.completions.create(
      { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true },
      { headers: { 'x-tollgate-policy': 'checked' } },
    );
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = assembleChunks(chunks as never).content;
    // One call, on whichever model the prompt's own threshold chose, and no second opinion.
    expect(cheapUpstream.requests.length + strongUpstream.requests.length).toBe(1);
    expect(text).toBe(cheapUpstream.requests.length === 1 ? WRONG : STRONG_ANSWER);
  });

  it('with streams checked too, fetches a streamed cheap answer whole, and streams the strong answer after it failed the check, booked as one request that paid for both', async () => {
    cheapAnswers.set(PROBLEM, WRONG);
    const { data: stream, response } = await h.client.chat.completions
      .create({ model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true, max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked-streams' } })
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(assembleChunks(chunks as never).content).toBe(STRONG_ANSWER);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; /);
    // The cheap model was asked for a whole answer, not a stream.
    expect(cheapUpstream.requests).toHaveLength(1);
    expect(cheapUpstream.requests[0]!.body).toMatchObject({ stream: false });
    expect(cheapUpstream.requests[0]!.body).not.toHaveProperty('stream_options');
    expect(strongUpstream.requests).toHaveLength(1);
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ escalated: true, cheap: { model: CHEAP, costMicros: CHEAP_MICROS } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);
  });

  it('with streams checked too, streams a cheap answer that passed, with the usage chunk when asked for', async () => {
    cheapAnswers.set(PROBLEM, RIGHT);
    const { data: stream, response } = await h.client.chat.completions
      .create(
        { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], stream: true, stream_options: { include_usage: true }, max_tokens: OUTPUT_TOKENS },
        { headers: { 'x-tollgate-policy': 'checked-streams' } },
      )
      .withResponse();
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(assembleChunks(chunks as never).content).toBe(RIGHT);
    expect(chunks.at(-1)!.usage).toMatchObject({ prompt_tokens: PROMPT_TOKENS, completion_tokens: OUTPUT_TOKENS });
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
    expect(strongUpstream.requests).toHaveLength(0);
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record).toMatchObject({ servedModel: CHEAP, answerCheck: { escalated: false } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
  });

  it('does not ask the strong model for a caller that has left, and books the cheap call it paid for at 499, streamed or not', async () => {
    for (const [policy, stream] of [['checked', false], ['checked-streams', true]] as const) {
      cheapUpstream.requests.length = 0;
      cheapAnswers.set(PROBLEM, WRONG);
      // The cheap model takes its time; the caller leaves once it has been asked.
      cheapUpstream.setFault({ hangMs: 1_500 });
      const leave = new AbortController();
      const asked = h.client.chat.completions.create(
        { model: STRONG, messages: [{ role: 'user', content: PROBLEM }], max_tokens: OUTPUT_TOKENS, stream },
        { headers: { 'x-tollgate-policy': policy }, signal: leave.signal, maxRetries: 0 },
      );
      await waitFor(async () => cheapUpstream.requests.length === 1, 100, 20);
      leave.abort();
      await expect(asked).rejects.toThrow(/abort/i);
      const record = await waitFor(async () => (await ledger()).find((r) => r.status === 499 && r.policy === policy && r.answerCheck !== undefined), 100, 50);
      expect(record).toMatchObject({ servedModel: CHEAP, error: 'client closed the connection before the answer was sent' });
      expect(record.answerCheck).toMatchObject({ escalated: true, kept: 'the client closed the connection before the strong model was asked' });
      expect(costMicrosOf(record)).toBe(CHEAP_MICROS);
      expect(strongUpstream.requests).toHaveLength(0);
    }
  });

  it('asks the strong model again when a cheap answer breaks the JSON format asked for, and serves valid JSON from the cheap model with one call', async () => {
    const json = (content: string) =>
      h.client.chat.completions
        .create({ model: STRONG, messages: [{ role: 'user', content }], response_format: { type: 'json_object' }, max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
        .withResponse();
    cheapAnswers.set(COLOURS, '```json\n{"colours": ["red", "blue"]}\n```');
    const broken = await json(COLOURS);
    expect(broken.data.choices[0]!.message.content).toBe(STRONG_JSON);
    expect(broken.response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    expect(cheapUpstream.requests).toHaveLength(1);
    expect(strongUpstream.requests).toHaveLength(1);
    const record = await recordOf(broken.response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', escalated: true, reasons: ['the answer is not JSON'], cheap: { model: CHEAP } });
    expect(costMicrosOf(record)).toBe(CHEAP_MICROS + STRONG_MICROS);

    cheapAnswers.set(COLOURS, '{"colours": ["red", "yellow"]}');
    const valid = await json(COLOURS);
    expect(valid.data.choices[0]!.message.content).toBe('{"colours": ["red", "yellow"]}');
    expect(valid.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(valid.response.headers.get('x-tollgate-model')).toBe(CHEAP);
    expect(strongUpstream.requests).toHaveLength(1);
  });

  it('asks the strong model again when a cheap tool call lacks a required parameter', async () => {
    cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{}' }]);
    const { data, response } = await h.client.chat.completions
      .create({ model: STRONG, messages: [{ role: 'user', content: WEATHER }], tools: [WEATHER_TOOL], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
      .withResponse();
    expect(data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather', arguments: '{"city":"Paris"}' } });
    expect(response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', reasons: ['tool call "get_weather" lacks required "city"'] });
  });

  it('asks the strong model again when a cheap tool call breaks its parameters schema below the top level (checked on the schema worker thread), and serves one that keeps it', async () => {
    const ask = () =>
      h.client.chat.completions
        .create({ model: STRONG, messages: [{ role: 'user', content: WEATHER }], tools: [WEATHER_TOOL], max_tokens: OUTPUT_TOKENS }, { headers: { 'x-tollgate-policy': 'checked' } })
        .withResponse();
    cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{"city": 75001}' }]);
    const broken = await ask();
    expect(broken.response.headers.get('x-tollgate-answer-check')).toBe('escalated; check=format');
    expect(broken.data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { arguments: '{"city":"Paris"}' } });
    const record = await recordOf(broken.response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck).toMatchObject({ check: 'format', reasons: ['tool call "get_weather" breaks its parameters at /city: must be string'] });

    cheapToolCalls.set(WEATHER, [{ id: 'call_cheap', name: 'get_weather', arguments: '{"city": "Lyon"}' }]);
    const kept = await ask();
    expect(kept.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(kept.data.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { arguments: '{"city": "Lyon"}' } });
    expect(strongUpstream.requests).toHaveLength(1);
  });

  it('holds a budget under 50 parallel requests that all fail the check: escalations that no longer fit keep the cheap answer, and the spend stays under the limit', async () => {
    const team = 'cascade-race';
    cheapAnswers.set(PROBLEM, WRONG);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const { response } = await ask(PROBLEM, 'checked-budget', { 'x-tollgate-tags': `team=${team}` });
          return response.headers.get('x-tollgate-answer-check')!.split(';')[0]!;
        } catch (error) {
          if (error instanceof OpenAI.APIError) return String(error.status);
          throw error;
        }
      }),
    );
    let records: LedgerRecord[] = [];
    await waitFor(async () => (records = (await ledger()).filter((r) => r.tags.team === team)).length === 50, 100, 20);
    const booked = records.reduce((sum, r) => sum + costMicrosOf(r), 0);
    // $0.05 a day: an escalated request books both calls; escalating never lets spend pass the limit.
    expect(booked).toBeLessThanOrEqual(50_000);
    const escalated = outcomes.filter((o) => o === 'escalated').length;
    expect(escalated).toBeGreaterThan(0);
    expect(escalated).toBeLessThanOrEqual(Math.floor(50_000 / (CHEAP_MICROS + STRONG_MICROS)));
    expect(outcomes.filter((o) => o === 'kept').length + escalated + outcomes.filter((o) => o === '429').length).toBe(50);
    expect(records.filter((r) => r.answerCheck?.kept).every((r) => /refus/.test(r.answerCheck!.kept!))).toBe(true);
  });

  // Last: the correction it earns stays with the harness (the same operating point as every test above).
  it('lowers the check threshold with thumbs-down on answers that passed it: the next such answer is asked again, and once the check would ask again nearly every answer, such prompts go straight to the strong model', async () => {
    cheapAnswers.set(PROBLEM, RIGHT);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { response } = await ask(PROBLEM);
      expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
      ids.push(response.headers.get('x-tollgate-request-id')!);
    }
    const rightScore = answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, RIGHT);
    /** Thumbs-down, one passed answer at a time, until the checked cell's state says `until`. */
    const thumbsDownUntil = async (until: (check: CheckedState) => boolean): Promise<CheckedState> => {
      for (;;) {
        const check = await checkedState();
        if (check && until(check)) return check;
        expect(ids.length, 'feedback ran out before the cell moved').toBeGreaterThan(0);
        expect((await h.post('/v1/feedback', { requestId: ids.shift()!, thumbs: 'down' })).status).toBe(200);
      }
    };

    const lowered = await thumbsDownUntil((c) => c.threshold <= rightScore);
    expect(lowered).toMatchObject({ calibratedThreshold: threshold, straightToStrong: false });
    const { data, response } = await ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; /);
    const record = await recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck!.calibratedThreshold).toBe(threshold);
    expect(record.answerCheck!.threshold).toBeLessThan(rightScore);

    const moot = await thumbsDownUntil((c) => c.straightToStrong);
    expect(moot.threshold).toBeLessThanOrEqual(answerCheckCalibrationFor(100).threshold);
    const decided = (await (await h.post('/v1/decide', { model: STRONG, messages: [{ role: 'user', content: PROBLEM }] }, { 'x-tollgate-policy': 'checked' })).json()) as DecideResponse;
    expect(decided.model).toBe(STRONG);
    expect(decided.router!.online!.find((a) => a.answerCheck)?.answerCheck?.straightToStrong).toBe(true);
    cheapUpstream.requests.length = 0;
    strongUpstream.requests.length = 0;
    const direct = await ask(PROBLEM);
    expect(direct.data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(direct.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(cheapUpstream.requests).toHaveLength(0);
    expect(strongUpstream.requests).toHaveLength(1);
    const directRecord = await recordOf(direct.response.headers.get('x-tollgate-request-id')!);
    expect(directRecord.answerCheck).toBeUndefined();
    expect(directRecord.router?.branch).toBe('strong');
    expect(costMicrosOf(directRecord)).toBe(STRONG_MICROS);
  });
});

describe('what the answer check did, in /api/usage', () => {
  it('counts the checked, escalated and paid-twice cheap answers per policy as the ledger has them, from the rollups and from the ledger alike', async () => {
    const records = (await ledger()).filter((r) => r.policy === 'checked');
    const escalated = records.filter((r) => r.answerCheck?.escalated && !r.answerCheck.kept);
    expect(escalated.length).toBeGreaterThan(0);
    const expected = {
      answersChecked: records.filter((r) => r.answerCheck).length,
      answersEscalated: escalated.length,
      escalatedCheapCostUsd: escalated.reduce((sum, r) => sum + r.answerCheck!.cheap!.costMicros, 0) / 1e6,
    };
    const today = new Date().toISOString().slice(0, 10);
    for (const query of [`groupBy=policy&from=${today}`, 'groupBy=policy']) {
      const usage = (await (await fetch(`${h.url}/api/usage?${query}`)).json()) as UsageResponse;
      const row = usage.groups.find((g) => g.key === 'checked')!;
      expect(row.answersChecked).toBe(expected.answersChecked);
      expect(row.answersEscalated).toBe(expected.answersEscalated);
      expect(row.escalatedCheapCostUsd).toBeCloseTo(expected.escalatedCheapCostUsd, 6);
    }
  });

  it('books what escalations overspent on /metrics apart from what was saved, so saved less overspent is the net the ledger has', async () => {
    const records = (await ledger()).filter((r) => r.policy === 'checked');
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const overspent = sum(records.filter((r) => r.savedUsd < 0).map((r) => -r.savedUsd));
    const saved = sum(records.filter((r) => r.savedUsd > 0).map((r) => r.savedUsd));
    expect(overspent).toBeGreaterThan(0);
    const text = await (await fetch(`${h.url}/metrics`)).text();
    const metric = (name: string) => sum([...text.matchAll(new RegExp(`^${name}\\{policy="checked",[^}]*\\} (\\S+)$`, 'gm'))].map((m) => Number(m[1])));
    expect(metric('tollgate_overspent_usd_total')).toBeCloseTo(overspent, 9);
    expect(metric('tollgate_saved_usd_total')).toBeCloseTo(saved, 9);
  });
});

type CheckedState = NonNullable<RouterAdjustment['answerCheck']>;

/** The answer check's state of the checked router's open maths cell, from GET /api/router/state (null before feedback reached it). */
async function checkedState(): Promise<CheckedState | null> {
  const res = await fetch(`${h.url}/api/router/state`);
  expect(res.status).toBe(200);
  const state = (await res.json()) as RouterStateResponse;
  return state.adjustments.find((a) => a.answerCheck)?.answerCheck ?? null;
}
