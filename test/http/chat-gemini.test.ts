import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startGeminiUpstream } from '../support/gemini-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

/** Gemini first, OpenAI when Gemini keeps failing. */
const geminiFirst = {
  id: 'gemini-first',
  name: 'Gemini first',
  nodes: [
    node('req', 'request'),
    node('flash', 'route', { model: 'gemini-2.5-flash', retries: 0, backoffMs: 0 }),
    node('mini', 'route', { model: 'gpt-4o-mini', retries: 0 }),
  ],
  edges: [edge('req', 'next', 'flash'), edge('flash', 'onError', 'mini')],
};

let gemini: UpstreamServer;
let openai: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  gemini = await startGeminiUpstream({ apiKey: 'gm-upstream-key', cachedTokens: 4 });
  openai = await startOpenAIUpstream({ apiKey: 'sk-upstream' });
  h = await startHarness({ GEMINI_BASE_URL: gemini.url, GEMINI_API_KEY: 'gm-upstream-key', OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream' });
  expect((await h.post('/api/policies/gemini-first/publish', { graph: geminiFirst })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await gemini.close();
  await openai.close();
});
beforeEach(() => {
  gemini.setFault(null);
  openai.setFault(null);
});

const viaGemini = { headers: { 'x-tollgate-policy': 'gemini-first' } };

describe('a route to Gemini, through the official OpenAI SDK', () => {
  it('answers from the native generateContent API and books its usage, cached tokens at the cached price', async () => {
    const { data, response } = await h.client.chat.completions.create(hello('gpt-4o'), viaGemini).withResponse();
    expect(data.choices[0]!.message.content).toBe('echo Hello there, what is the capital of France?');
    expect(data.usage).toMatchObject({ prompt_tokens: 14, prompt_tokens_details: { cached_tokens: 4 } });
    expect(response.headers.get('x-tollgate-provider')).toBe('gemini');
    expect(response.headers.get('x-tollgate-model')).toBe('gemini-2.5-flash');
    const id = response.headers.get('x-tollgate-request-id')!;
    const day = new Date().toISOString().slice(0, 10);
    const ledger = (await readFile(path.join(h.dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    const record = ledger.find((r) => r.id === id);
    // 10 fresh input tokens at $0.30/M, 4 cached at $0.075/M, 9 output words at $2.50/M.
    expect(record).toMatchObject({ provider: 'gemini', inputTokens: 14, cachedInputTokens: 4, outputTokens: 9 });
    expect(record.costUsd).toBeCloseTo((10 * 0.3 + 4 * 0.075 + 9 * 2.5) / 1e6, 12);
  });

  it('streams from streamGenerateContent', async () => {
    let text = '';
    for await (const chunk of await h.client.chat.completions.create({ ...hello(), stream: true }, viaGemini)) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toBe('echo Hello there, what is the capital of France?');
  });

  it('falls back to OpenAI when Gemini answers 503', async () => {
    gemini.setFault({ status: 503 });
    const { data, response } = await h.client.chat.completions.create(hello(), viaGemini).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('openai');
    expect(data.choices[0]!.message.content).toContain('echo gpt-4o-mini');
  });
});
