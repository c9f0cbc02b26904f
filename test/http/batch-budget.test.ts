import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costMicrosCeil } from '../../shared/cost.js';
import { batchPrice, DEFAULT_PRICING } from '../../shared/pricing.js';
import { startServer, type RunningServer } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { edge, node } from '../compiler/graph-builders.js';
import { copyExampleRules } from '../support/example-rules.js';
import { startAnthropicBatchUpstream, type AnthropicBatchUpstream } from '../support/anthropic-batch-upstream.js';
import { startOpenAIBatchUpstream, type OpenAIBatchUpstream } from '../support/openai-batch-upstream.js';
import { waitFor } from './wait-for.js';

/** Output dominates the hold: a few prompt tokens add a few micro-dollars at most. */
const MAX_TOKENS = 10_000;
const MINI = DEFAULT_PRICING.models['gpt-4o-mini']!;
/** What one deferred request holds, near enough: its output cap at the batch price (prompt tokens aside). */
const PER_REQUEST_MICROS = costMicrosCeil({ inputTokens: 0, outputTokens: MAX_TOKENS }, batchPrice(MINI));
/** Room for ten batch-priced requests (and their prompts), not for eleven. */
const LIMIT_MICROS = PER_REQUEST_MICROS * 10 + 1_000;

const policy = {
  id: 'batch-budget',
  name: 'batch-budget',
  nodes: [
    node('req', 'request'),
    node('budget', 'budget', { scope: 'global', limitUsd: LIMIT_MICROS / 1e6, window: 'day' }),
    node('lane', 'batch', { trigger: 'header' }),
    node('go', 'route', { model: 'gpt-4o-mini', provider: 'openai', retries: 0 }),
    node('stop', 'block', { status: 429, message: 'batch budget spent' }),
  ],
  edges: [edge('req', 'next', 'budget'), edge('budget', 'ok', 'lane'), edge('budget', 'over', 'stop'), edge('lane', 'next', 'go')],
};

interface Booked {
  id: string;
  status: number;
  costMicros: number;
}

async function ledger(dataDir: string): Promise<Booked[]> {
  const day = new Date().toISOString().slice(0, 10);
  const text = await readFile(path.join(dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8').catch(() => '');
  return text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Booked);
}

/** Through the official SDK; a refusal comes back as the SDK's APIError, whose status we keep. */
async function ask(server: RunningServer, question: string, policyId = policy.id): Promise<{ status: number; id: string | null; poll: string | null; code: string | null }> {
  const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0 });
  try {
    const { data, response } = await client.chat.completions
      .create({ model: 'gpt-4o-mini', max_tokens: MAX_TOKENS, messages: [{ role: 'user', content: question }] }, { headers: { 'x-tollgate-policy': policyId, 'x-tollgate-defer': 'batch' } })
      .withResponse();
    const job = data as unknown as { id: string; poll: string };
    return { status: response.status, id: job.id, poll: job.poll, code: null };
  } catch (error) {
    if (!(error instanceof OpenAI.APIError)) throw error;
    return { status: error.status ?? 0, id: null, poll: null, code: error.code ?? null };
  }
}

describe('deferred batch requests count against budgets while they wait', () => {
  let openai: OpenAIBatchUpstream;
  let root: string;

  beforeAll(async () => {
    openai = await startOpenAIBatchUpstream({ apiKey: 'sk-upstream', pollsBeforeDone: 1 });
    root = await mkdtemp(path.join(tmpdir(), 'tollgate-batch-budget-'));
    await copyExampleRules(path.join(root, 'rules'));
  });
  afterAll(async () => {
    await openai.close();
    await rm(root, { recursive: true, force: true });
  });

  const dataDir = () => path.join(root, 'data');
  const start = (batchMaxWaitMs: number): Promise<RunningServer> =>
    startServer(
      configFromEnv({}, { rulesDir: path.join(root, 'rules'), dataDir: dataDir(), editorDir: path.join(root, 'none'), logLevel: 'silent', ledgerFsyncMs: 0, watchRules: false, batchMaxWaitMs, batchPollMs: 20, batchMaxSize: 100 }),
      { host: '127.0.0.1', port: 0 },
      { env: { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream' } },
    );

  it('50 parallel deferred requests on a budget of ten: at most 11 queued, the rest refused by the over branch; a restart still refuses; completion stays under the limit', async () => {
    // Nothing is sent while the first two processes run: every accepted job stays queued and owed.
    const first = await start(3_600_000);
    let queued: { id: string | null; poll: string | null }[];
    try {
      const published = await fetch(`${first.url}/api/policies/${policy.id}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ graph: policy }) });
      expect(published.status).toBe(200);
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => ask(first, `deferred ${i}`)));
      queued = answers.filter((a) => a.status === 202);
      const refused = answers.filter((a) => a.status !== 202);
      expect(queued.length).toBeGreaterThanOrEqual(10);
      expect(queued.length).toBeLessThanOrEqual(11);
      expect(refused.length).toBe(50 - queued.length);
      expect(refused.every((a) => a.status === 429)).toBe(true);
    } finally {
      await first.close();
    }
    expect(openai.batches).toHaveLength(0);

    // The queued jobs come back from the journal still owed: the budget is as full as before the restart.
    const second = await start(3_600_000);
    try {
      const after = await Promise.all(Array.from({ length: 5 }, (_, i) => ask(second, `after restart ${i}`)));
      expect(after.map((a) => a.status)).toEqual([429, 429, 429, 429, 429]);
    } finally {
      await second.close();
    }

    // A start that sends them: every queued job is answered and booked, and the day's spend stays within the limit.
    const third = await start(10);
    try {
      const ids = new Set(queued.map((q) => q.id!));
      const booked = await waitFor(async () => {
        const mine = (await ledger(dataDir())).filter((r) => ids.has(r.id));
        return mine.length === ids.size ? mine : undefined;
      }, 200, 25);
      expect(booked.every((r) => r.status === 200)).toBe(true);
      const total = (await ledger(dataDir())).reduce((sum, r) => sum + r.costMicros, 0);
      expect(total).toBeLessThanOrEqual(LIMIT_MICROS + PER_REQUEST_MICROS);
      // The holds went with the bookings: the budget has room again for a new deferred request.
      expect((await ask(third, 'once the batch is booked')).status).toBe(202);
    } finally {
      await third.close();
    }
  });
});

describe('a deferred request the batch fails gives its budget hold back', () => {
  const HAIKU = DEFAULT_PRICING.models['claude-3-5-haiku-20241022']!;
  // Haiku 3.5 writes at most 8,192 tokens a call: that, not max_tokens, is what is held.
  const perRequest = costMicrosCeil({ inputTokens: 0, outputTokens: Math.min(MAX_TOKENS, HAIKU.maxOutputTokens!) }, batchPrice(HAIKU));
  const failing = {
    ...policy,
    id: 'batch-budget-haiku',
    name: 'batch-budget-haiku',
    nodes: policy.nodes.map((n) =>
      n.id === 'budget' ? node('budget', 'budget', { scope: 'global', limitUsd: (perRequest * 10 + 1_000) / 1e6, window: 'day' }) : n.id === 'go' ? node('go', 'route', { model: 'claude-3-5-haiku-20241022', provider: 'anthropic', retries: 0 }) : n,
    ),
  };
  let anthropic: AnthropicBatchUpstream;
  let root: string;
  let server: RunningServer;

  beforeAll(async () => {
    anthropic = await startAnthropicBatchUpstream({ apiKey: 'sk-ant-upstream', pollsBeforeDone: 1 });
    root = await mkdtemp(path.join(tmpdir(), 'tollgate-batch-fail-'));
    await copyExampleRules(path.join(root, 'rules'));
    server = await startServer(
      configFromEnv({}, { rulesDir: path.join(root, 'rules'), dataDir: path.join(root, 'data'), editorDir: path.join(root, 'none'), logLevel: 'silent', ledgerFsyncMs: 0, watchRules: false, batchMaxWaitMs: 1_000, batchPollMs: 20, batchMaxSize: 100 }),
      { host: '127.0.0.1', port: 0 },
      { env: { ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: 'sk-ant-upstream' } },
    );
  });
  afterAll(async () => {
    await server.close();
    await anthropic.close();
    await rm(root, { recursive: true, force: true });
  });

  it('ten failed jobs free the budget again for ten more', async () => {
    const published = await fetch(`${server.url}/api/policies/${failing.id}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ graph: failing }) });
    expect(published.status).toBe(200);
    const first = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(server, `please FAIL ${i}`, failing.id)));
    const queued = first.filter((a) => a.status === 202);
    expect(queued).toHaveLength(10);
    expect(first.filter((a) => a.status === 429)).toHaveLength(2);
    const ids = new Set(queued.map((q) => q.id!));
    const booked = await waitFor(async () => {
      const mine = (await ledger(path.join(root, 'data'))).filter((r) => ids.has(r.id));
      return mine.length === ids.size ? mine : undefined;
    }, 200, 25);
    expect(booked.every((r) => r.status === 502 && r.costMicros === 0)).toBe(true);
    const again = await Promise.all(Array.from({ length: 10 }, (_, i) => ask(server, `please FAIL again ${i}`, failing.id)));
    expect(again.map((a) => a.status)).toEqual(Array.from({ length: 10 }, () => 202));
  });
});
