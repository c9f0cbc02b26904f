import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countTextTokens } from '../../server/facts/tokens.js';
import { costMicrosOf, type LedgerRecord } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startGeminiUpstream } from '../support/gemini-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';
import { statusOf } from '../support/sdk-status.js';

/**
 * POST /v1/embeddings through the official SDK against a loopback OpenAI upstream: the policy's
 * gates (budgets, blocks, its Cache node) apply, the model asked for answers, the ledger books
 * the embedding price. The upstream counts 7 tokens an input; TEXT is 7 tokens to Tollgate too,
 * so a request's hold and its booked cost agree.
 */
const TEXT = 'one two three four five six seven';
/** $1,000 per million tokens: one input of TEXT costs $0.007 (7,000 micro-dollars), and the team budget of $0.07 is ten requests. */
const PRICE = { provider: 'openai', kind: 'embedding', input: 1000, output: 0 };
const REQUEST_MICROS = 7_000;
const LIMIT_MICROS = 70_000;

const policies = [
  // The route names a chat model: embeddings still go to the model asked for.
  { id: 'chat-route', name: 'Chat route', nodes: [node('req', 'request'), node('route', 'route', { model: 'gpt-4o-mini', retries: 1, backoffMs: 0 })], edges: [edge('req', 'next', 'route')] },
  {
    id: 'cached',
    name: 'Cached',
    nodes: [node('req', 'request'), node('cache', 'cache', { mode: 'semantic', ttlSeconds: 600 }), node('route', 'route', { model: '*' })],
    edges: [edge('req', 'next', 'cache'), edge('cache', 'next', 'route')],
  },
  {
    id: 'team-budget',
    name: 'Team budget',
    nodes: [
      node('req', 'request'),
      node('budget', 'budget', { scope: 'tag:team', limitUsd: 0.07, window: 'day', thresholdPct: 100 }),
      node('refuse', 'block', { status: 429, message: 'Team budget spent.' }),
      node('route', 'route', { model: '*', retries: 0 }),
    ],
    edges: [edge('req', 'next', 'budget'), edge('budget', 'over', 'refuse'), edge('budget', 'ok', 'route')],
  },
  { id: 'blocked', name: 'Blocked', nodes: [node('req', 'request'), node('no', 'block', { status: 403, message: 'No embeddings here.' })], edges: [edge('req', 'next', 'no')] },
];

let upstream: UpstreamServer;
let gemini: UpstreamServer;
let h: Harness;
let pricingDir: string;

beforeAll(async () => {
  upstream = await startOpenAIUpstream();
  gemini = await startGeminiUpstream({ apiKey: 'g-test-key' });
  pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  const pricingFile = path.join(pricingDir, 'pricing.json');
  await writeFile(pricingFile, JSON.stringify({ models: { 'embed-metered': PRICE } }));
  h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: 'sk-upstream', ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', TOLLGATE_CAPTURE: 'all', GEMINI_API_KEY: 'g-test-key', GEMINI_BASE_URL: gemini.url }, { pricingFile });
  for (const graph of policies) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await h?.close();
  await upstream?.close();
  await gemini?.close();
  await rm(pricingDir, { recursive: true, force: true });
});
beforeEach(() => {
  upstream.setFault(null);
  upstream.requests.length = 0;
  gemini.requests.length = 0;
});

const client = (policy: string, headers: Record<string, string> = {}) =>
  new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'sk-test-service-key', maxRetries: 0, defaultHeaders: { 'x-tollgate-policy': policy, ...headers } });

async function records(): Promise<LedgerRecord[]> {
  const out: LedgerRecord[] = [];
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) out.push(record);
  return out;
}


describe('POST /v1/embeddings', () => {
  it('answers the SDK with the provider’s vectors from the model asked for, and books them to the team at the embedding price', async () => {
    expect(countTextTokens(TEXT)).toBe(7);
    const { data, response } = await client('chat-route', { 'x-tollgate-tags': 'team=search' })
      .embeddings.create({ model: 'embed-metered', input: [TEXT, 'hello'], dimensions: 4 })
      .withResponse();
    // The SDK asks for base64 and decodes it: the upstream's vectors arrive as they were.
    expect(upstream.requests.at(-1)!.body).toMatchObject({ model: 'embed-metered', input: [TEXT, 'hello'], dimensions: 4, encoding_format: 'base64' });
    expect(data.data.map((d) => d.embedding)).toEqual([
      [0, TEXT.length, 1, 1],
      [1, 5, 1, 1],
    ]);
    expect(data.usage).toEqual({ prompt_tokens: 14, total_tokens: 14 });
    expect(Object.fromEntries([...response.headers].filter(([k]) => ['x-tollgate-model', 'x-tollgate-provider', 'x-tollgate-rule', 'x-tollgate-cost-usd'].includes(k)))).toEqual({
      'x-tollgate-model': 'embed-metered',
      'x-tollgate-provider': 'openai',
      'x-tollgate-rule': 'route',
      'x-tollgate-cost-usd': '0.014',
    });
    const record = (await records()).find((r) => r.id === response.headers.get('x-tollgate-request-id'))!;
    expect(record).toMatchObject({ requestedModel: 'embed-metered', servedModel: 'embed-metered', inputTokens: 14, outputTokens: 0, costMicros: 2 * REQUEST_MICROS, tags: { team: 'search' }, status: 200 });
  });

  it('answers a repeat from the Cache node, and only an exact repeat, whatever its mode', async () => {
    const ask = (input: string) => client('cached').embeddings.create({ model: 'embed-metered', input, encoding_format: 'float' }).withResponse();
    const first = await ask('How do I reset my password?');
    const again = await ask('How do I reset my password?');
    const reworded = await ask('How can I reset my password?');
    expect([first, again, reworded].map((r) => r.response.headers.get('x-tollgate-cache'))).toEqual(['miss', 'hit', 'miss']);
    expect(again.data).toEqual(first.data);
    expect(upstream.requests).toHaveLength(2);
    expect(again.response.headers.get('x-tollgate-cost-usd')).toBe('0.0');
  });

  it('answers the inputs of a batch it has seen from the cache and asks the provider for the rest only', async () => {
    const batch = (input: string[]) => client('cached').embeddings.create({ model: 'embed-metered', input, encoding_format: 'float' }).withResponse();
    const seen = await batch(['alpha', TEXT]);
    expect(upstream.requests.at(-1)!.body).toMatchObject({ input: ['alpha', TEXT] });
    const mixed = await batch(['gamma', TEXT, 'alpha', 'delta']);
    // Asked for the two new inputs, in their order; the answer keeps the batch's order.
    expect(upstream.requests.at(-1)!.body).toMatchObject({ input: ['gamma', 'delta'] });
    expect(mixed.data.data.map((d) => d.index)).toEqual([0, 1, 2, 3]);
    expect(mixed.data.data[1]!.embedding).toEqual(seen.data.data[1]!.embedding);
    expect(mixed.data.data[2]!.embedding).toEqual(seen.data.data[0]!.embedding);
    expect(mixed.data.data.map((d) => d.embedding[1])).toEqual([5, TEXT.length, 5, 5]);
    expect(mixed.data.usage).toEqual({ prompt_tokens: 28, total_tokens: 28 });
    expect(mixed.response.headers.get('x-tollgate-cache')).toBe('miss');
    expect(mixed.response.headers.get('x-tollgate-cache-hits')).toBe('2/4');
    // Booked: the two inputs asked for; saved: what the two cached ones would have cost.
    const record = (await records()).find((r) => r.id === mixed.response.headers.get('x-tollgate-request-id'))!;
    expect(record).toMatchObject({ inputTokens: 14, costMicros: 2 * REQUEST_MICROS, cache: 'miss' });
    expect(record.savedUsd).toBeCloseTo(0.014, 9);
    const all = await batch(['delta', 'gamma']);
    expect(all.response.headers.get('x-tollgate-cache')).toBe('hit');
    expect(upstream.requests).toHaveLength(2);
  });

  it('holds a team budget under 50 parallel calls: ten or eleven admitted of ten requests, the rest refused, the ledger at most the limit plus one', async () => {
    const team = client('team-budget', { 'x-tollgate-tags': 'team=parallel' });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => statusOf(team.embeddings.create({ model: 'embed-metered', input: TEXT }))));
    const admitted = statuses.filter((s) => s === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(10);
    expect(admitted).toBeLessThanOrEqual(11);
    expect(statuses.filter((s) => s !== 200)).toEqual(Array(50 - admitted).fill(429));
    const booked = (await records()).filter((r) => r.tags.team === 'parallel').reduce((sum, r) => sum + costMicrosOf(r), 0);
    expect(booked).toBeGreaterThanOrEqual(LIMIT_MICROS);
    expect(booked).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  });

  it('refuses on a Block path without calling the provider', async () => {
    const error = await client('blocked').embeddings.create({ model: 'embed-metered', input: TEXT }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining('No embeddings here.') });
    expect(upstream.requests).toHaveLength(0);
  });

  it('retries a provider’s 503 as the route says, and passes its 400 through', async () => {
    upstream.setFault({ status: 503, times: 1 });
    const { response } = await client('chat-route').embeddings.create({ model: 'embed-metered', input: TEXT }).withResponse();
    expect(response.status).toBe(200);
    expect(upstream.requests).toHaveLength(2);
    upstream.setFault({ status: 400, message: 'dimensions is too large for this model' });
    const error = await client('chat-route').embeddings.create({ model: 'embed-metered', input: TEXT, dimensions: 99_999 }).then(() => null, (e: unknown) => e);
    expect(error).toMatchObject({ status: 400, message: expect.stringContaining('dimensions is too large') });
  });

  it('asks Gemini’s batchEmbedContents for a Gemini embedding model, and answers in OpenAI’s shape', async () => {
    const params = { model: 'gemini-embedding-001', input: ['a b', 'hello'], dimensions: 4, task_type: 'RETRIEVAL_DOCUMENT' } as OpenAI.EmbeddingCreateParams;
    const { data, response } = await client('chat-route').embeddings.create(params).withResponse();
    expect(gemini.requests.at(-1)).toMatchObject({
      path: '/v1beta/models/gemini-embedding-001:batchEmbedContents',
      body: { requests: [{ model: 'models/gemini-embedding-001', content: { parts: [{ text: 'a b' }] }, outputDimensionality: 4, taskType: 'RETRIEVAL_DOCUMENT' }, { content: { parts: [{ text: 'hello' }] } }] },
    });
    expect(data.data.map((d) => d.embedding)).toEqual([
      [0, 3, 1, 1],
      [1, 5, 1, 1],
    ]);
    // Gemini counts no tokens for embeddings: the ledger books Tollgate's count of the texts.
    const tokens = countTextTokens('a b') + countTextTokens('hello');
    expect(data.usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens });
    expect(response.headers.get('x-tollgate-provider')).toBe('gemini');
    const record = (await records()).find((r) => r.id === response.headers.get('x-tollgate-request-id'))!;
    expect(record).toMatchObject({ servedModel: 'gemini-embedding-001', provider: 'gemini', inputTokens: tokens, outputTokens: 0 });
    const tokenIds = await client('chat-route').embeddings.create({ model: 'gemini-embedding-001', input: [1, 2, 3] }).then(() => null, (e: unknown) => e);
    expect(tokenIds).toMatchObject({ status: 400, param: 'input', message: expect.stringContaining('texts only') });
  });

  it('leaves embeddings out of traffic capture, which backtests replay as chat completions', async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const chat = await client('chat-route').chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: TEXT }] }).withResponse();
    const embedded = await client('chat-route').embeddings.create({ model: 'embed-metered', input: TEXT }).withResponse();
    await h.server.runtime.capture.flush();
    const ids: string[] = [];
    for await (const captured of h.server.runtime.capture.read({ policy: 'chat-route', from, to: new Date(Date.now() + 60_000).toISOString() })) ids.push(captured.id);
    expect(ids).toContain(chat.response.headers.get('x-tollgate-request-id'));
    expect(ids).not.toContain(embedded.response.headers.get('x-tollgate-request-id'));
  });

  it('names the field at fault, and a provider without an embeddings API', async () => {
    const refused = (body: Record<string, unknown>) =>
      client('chat-route')
        .embeddings.create(body as unknown as OpenAI.EmbeddingCreateParams)
        .then(() => null, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
    expect(await refused({ model: 'embed-metered', input: [] })).toMatchObject({ status: 400, param: 'input' });
    expect(await refused({ input: TEXT })).toMatchObject({ status: 400, param: 'model' });
    expect(await refused({ model: 'embed-metered', input: TEXT, dimensions: 0 })).toMatchObject({ status: 400, param: 'dimensions' });
    expect(await refused({ model: 'claude-sonnet-4-20250514', input: TEXT })).toMatchObject({ status: 400, code: 'embeddings_not_served', message: expect.stringContaining('anthropic has no embeddings API') });
    expect(upstream.requests).toHaveLength(0);
  });
});
