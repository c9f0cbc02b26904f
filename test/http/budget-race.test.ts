import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { costMicrosOf, type LedgerRecord } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startServer } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { startHarness, type Harness } from './harness.js';
import { waitFor } from './wait-for.js';

/**
 * The issue-8 race: a loopback upstream charging exactly $0.0125 a request (1,250 tokens at
 * $10 per million, input and output alike), a budget of $0.125 a day per team: ten requests.
 */
const REQUEST_MICROS = 12_500;
const LIMIT_USD = 0.125;
const LIMIT_MICROS = 125_000;
const messages = [{ role: 'user' as const, content: 'Summarise the quarterly report in three bullet points.' }];
const PROMPT = countPromptTokens(messages);
const OUTPUT = 1250 - PROMPT;
/** Streams answer shorter than their cap: 250 tokens in all, $0.0025. */
const STREAM_OUTPUT = 250 - PROMPT;

let upstream: UpstreamServer;
let h: Harness;
let pricingDir: string;
let pricingFile: string;

function graph(): Graph {
  return {
    id: 'team-budget',
    name: 'Team budget',
    description: 'Ten requests a day per team.',
    version: 1,
    nodes: [
      { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
      { id: 'budget', kind: 'budget', label: 'Team budget', position: { x: 200, y: 0 }, params: { scope: 'tag:team', limitUsd: LIMIT_USD, window: 'day', thresholdPct: 100 } },
      { id: 'refuse', kind: 'block', label: 'Refuse', position: { x: 400, y: -100 }, params: { status: 429, message: 'Team budget spent.' } },
      { id: 'route', kind: 'route', label: 'As asked', position: { x: 400, y: 100 }, params: { model: '*', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
    ],
    edges: [
      { id: 'request.next', source: 'request', sourceHandle: 'next', target: 'budget' },
      { id: 'budget.over', source: 'budget', sourceHandle: 'over', target: 'refuse' },
      { id: 'budget.ok', source: 'budget', sourceHandle: 'ok', target: 'route' },
    ],
  } as Graph;
}

/** The same budget, but from 80% answered by a model ten times cheaper ($0.00125 a request), refused at 100%. */
function degradeGraph(): Graph {
  const budget = { scope: 'tag:team', limitUsd: LIMIT_USD, window: 'day' };
  return {
    id: 'team-degrade',
    name: 'Team budget with a cheaper model near the limit',
    description: 'Eight requests as asked, then the cheap model until the budget is spent.',
    version: 1,
    nodes: [
      { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
      { id: 'spent', kind: 'budget', label: 'Spent?', position: { x: 200, y: 0 }, params: { ...budget, thresholdPct: 100 } },
      { id: 'refuse', kind: 'block', label: 'Refuse', position: { x: 400, y: -100 }, params: { status: 429, message: 'Team budget spent.' } },
      { id: 'near', kind: 'budget', label: 'Over 80%?', position: { x: 400, y: 100 }, params: { ...budget, thresholdPct: 80 } },
      { id: 'cheap', kind: 'degrade', label: 'Cheap model', position: { x: 600, y: 0 }, params: { mode: 'model', model: 'metered-mini', provider: 'auto', status: 429, message: 'Budget nearly spent.' } },
      { id: 'route', kind: 'route', label: 'As asked', position: { x: 600, y: 200 }, params: { model: '*', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
    ],
    edges: [
      { id: 'request.next', source: 'request', sourceHandle: 'next', target: 'spent' },
      { id: 'spent.over', source: 'spent', sourceHandle: 'over', target: 'refuse' },
      { id: 'spent.ok', source: 'spent', sourceHandle: 'ok', target: 'near' },
      { id: 'near.over', source: 'near', sourceHandle: 'over', target: 'cheap' },
      { id: 'near.ok', source: 'near', sourceHandle: 'ok', target: 'route' },
    ],
  } as Graph;
}

function clientFor(team: string, url = h.url): OpenAI {
  return new OpenAI({
    baseURL: `${url}/v1`,
    apiKey: 'sk-test-service-key',
    maxRetries: 0,
    defaultHeaders: { 'x-tollgate-policy': 'team-budget', 'x-tollgate-tags': `team=${team}` },
  });
}

/** 200 for an answer, otherwise the status the SDK saw. */
async function ask(team: string, url = h.url, request: { model: string; max_tokens: number } = { model: 'metered-4o', max_tokens: OUTPUT }): Promise<number> {
  try {
    await clientFor(team, url).chat.completions.create({ messages, ...request });
    return 200;
  } catch (error) {
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') return error.status;
    throw error;
  }
}

async function askAll(team: string, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => ask(team)));
}

async function askInTurn(team: string, n: number, url = h.url): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < n; i++) statuses.push(await ask(team, url));
  return statuses;
}

async function ledgerRecords(team: string): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) {
    if (record.tags.team === team) records.push(record);
  }
  return records;
}

/** What the ledger booked for one team, in micro-dollars, read from the files as a restart would. */
async function bookedMicros(team: string): Promise<number> {
  return (await ledgerRecords(team)).reduce((sum, record) => sum + costMicrosOf(record), 0);
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({
    respond: (body) => ({
      content: 'Revenue up, costs flat, outlook steady.',
      usage: { prompt_tokens: PROMPT, completion_tokens: body.stream === true ? STREAM_OUTPUT : OUTPUT },
    }),
  });
  pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  pricingFile = path.join(pricingDir, 'pricing.json');
  await writeFile(pricingFile, JSON.stringify({ models: { 'metered-4o': { provider: 'openai', input: 10, output: 10 }, 'metered-mini': { provider: 'openai', input: 1, output: 1 }, 'metered-capped': { provider: 'openai', input: 10, output: 10, maxOutputTokens: OUTPUT } } }));
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' }, { pricingFile });
  for (const policy of [graph(), degradeGraph()]) {
    const published = await h.post(`/api/policies/${policy.id}/publish`, { graph: policy });
    expect(published.status).toBe(200);
  }
});
afterAll(async () => {
  await h.close();
  await upstream.close();
  await rm(pricingDir, { recursive: true, force: true });
});
beforeEach(() => {
  upstream.setFault(null);
});

describe('a budget of ten requests a day per team', () => {
  it('admits exactly ten requests sent one after another (integer micro-dollars: ten times 0.0125 is 0.125)', async () => {
    const statuses = await askInTurn('sequential', 12);
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    expect(await bookedMicros('sequential')).toBe(LIMIT_MICROS);
    const records = await ledgerRecords('sequential');
    expect(records.filter((r) => r.status === 200).map((r) => [r.costMicros, r.costUsd])).toEqual(Array(10).fill([REQUEST_MICROS, 0.0125]));
    expect(records.filter((r) => r.status === 429).map((r) => r.costMicros)).toEqual([0, 0]);
  });

  it('admits at most eleven of 50 parallel requests, and books at most the limit plus one request', async () => {
    // A slow upstream keeps every request in flight at once, as a busy service would.
    upstream.setFault({ hangMs: 300 });
    const statuses = await askAll('fifty', 50);
    expect(count(statuses, 200)).toBeGreaterThanOrEqual(10);
    expect(count(statuses, 200)).toBeLessThanOrEqual(11);
    expect(count(statuses, 429)).toBe(50 - count(statuses, 200));
    expect(await bookedMicros('fifty')).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  });

  it('admits at most eleven of 200 parallel requests', async () => {
    upstream.setFault({ hangMs: 300 });
    const statuses = await askAll('two-hundred', 200);
    expect(count(statuses, 200)).toBeGreaterThanOrEqual(10);
    expect(count(statuses, 200)).toBeLessThanOrEqual(11);
    expect(await bookedMicros('two-hundred')).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  });

  it('holds an outsized max_tokens at what the model can write in one call: 50 parallel asks for a billion tokens admit ten or eleven, not none', async () => {
    upstream.setFault({ hangMs: 300 });
    // Held at a billion tokens, each would hold $10,000 against $0.125 and all 50 would be refused.
    const statuses = await Promise.all(Array.from({ length: 50 }, () => ask('outsized', h.url, { model: 'metered-capped', max_tokens: 1_000_000_000 })));
    expect(count(statuses, 200)).toBeGreaterThanOrEqual(10);
    expect(count(statuses, 200)).toBeLessThanOrEqual(11);
    expect(count(statuses, 429)).toBe(50 - count(statuses, 200));
    expect(await bookedMicros('outsized')).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  });

  it('releases the reservation of a request whose upstream failed, so the next requests still get in', async () => {
    upstream.setFault({ status: 500 });
    const failed = await askAll('flaky', 20);
    // Ten were in flight at once and held the whole budget; the other ten were refused meanwhile.
    expect(count(failed, 502)).toBe(10);
    expect(count(failed, 429)).toBe(10);
    upstream.setFault(null);
    expect(await askInTurn('flaky', 11)).toEqual([...Array(10).fill(200), 429]);
    expect(await bookedMicros('flaky')).toBe(LIMIT_MICROS);
  });

  it('settles a stream to what it actually cost, not what was reserved', async () => {
    const stream = await clientFor('streaming').chat.completions.create({ model: 'metered-4o', messages, max_tokens: OUTPUT, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Revenue up, costs flat, outlook steady.');
    expect(await bookedMicros('streaming')).toBe(2_500);
    // $0.1225 left: nine more $0.0125 requests fit, a tenth would not.
    expect(await askInTurn('streaming', 10)).toEqual([...Array(9).fill(200), 429]);
  });

  it('releases the reservation of a stream whose caller hung up before it started', async () => {
    upstream.setFault({ hangAfterHeadersMs: 5_000, times: 1 });
    const abort = new AbortController();
    const pending = clientFor('hang-up').chat.completions.create({ model: 'metered-4o', messages, max_tokens: OUTPUT, stream: true }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    await expect(pending).rejects.toThrow();
    await waitFor(async () => (await ledgerRecords('hang-up')).length > 0);
    const booked = await bookedMicros('hang-up');
    // A leaked reservation would hold one request's worth and let one fewer in.
    const fit = Math.floor((LIMIT_MICROS - booked) / REQUEST_MICROS);
    expect(await askInTurn('hang-up', fit + 1)).toEqual([...Array(fit).fill(200), 429]);
  });

  it('is rebuilt from the ledger by a fresh runtime on the same data folder (reservations are not kept)', async () => {
    expect(await askInTurn('restart', 6)).toEqual(Array(6).fill(200));
    const config = configFromEnv({}, { rulesDir: h.rulesDir, dataDir: h.dataDir, editorDir: path.join(pricingDir, 'no-editor'), logLevel: 'silent', ledgerFsyncMs: 0, pricingFile });
    const fresh = await startServer(config, { host: '127.0.0.1', port: 0 }, { env: { OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream' } });
    try {
      expect(await askInTurn('restart', 5, fresh.url)).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await fresh.close();
    }
  });
});

describe('a budget that degrades to a cheaper model from 80%', () => {
  it('under 50 parallel requests serves eight as asked, then the cheap model while it fits, and refuses the rest', async () => {
    upstream.setFault({ hangMs: 300 });
    const client = new OpenAI({
      baseURL: `${h.url}/v1`,
      apiKey: 'sk-test-service-key',
      maxRetries: 0,
      defaultHeaders: { 'x-tollgate-policy': 'team-degrade', 'x-tollgate-tags': 'team=degrading' },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const { response } = await client.chat.completions.create({ model: 'metered-4o', messages, max_tokens: OUTPUT }).withResponse();
          return response.headers.get('x-tollgate-model');
        } catch (error) {
          if (error instanceof OpenAI.APIError) return String(error.status);
          throw error;
        }
      }),
    );
    // $0.10 (80%) buys eight requests at $0.0125; the remaining $0.025 twenty at $0.00125.
    expect(outcomes.filter((o) => o === 'metered-4o')).toHaveLength(8);
    expect(outcomes.filter((o) => o === 'metered-mini')).toHaveLength(20);
    expect(outcomes.filter((o) => o === '429')).toHaveLength(22);
    expect(await bookedMicros('degrading')).toBe(LIMIT_MICROS);
  });
});
