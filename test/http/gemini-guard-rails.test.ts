import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startGeminiUpstream } from '../support/gemini-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

/** One route to a Gemini model, no fallback. */
const geminiOnly = {
  id: 'gemini-only',
  name: 'Gemini only',
  nodes: [node('req', 'request'), node('flash', 'route', { model: 'gemini-2.5-flash', retries: 0, backoffMs: 0 })],
  edges: [edge('req', 'next', 'flash')],
};
const viaGemini = { headers: { 'x-tollgate-policy': 'gemini-only' } };

async function ledgerText(h: Harness): Promise<string> {
  const dir = path.join(h.dataDir, 'ledger');
  return (await Promise.all((await readdir(dir)).map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
}

describe('OpenAI configured, Gemini not: a Gemini route is not answered by the simulator', () => {
  let openai: UpstreamServer;
  let h: Harness;

  beforeAll(async () => {
    openai = await startOpenAIUpstream({ apiKey: 'sk-upstream-key-123' });
    h = await startHarness({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream-key-123' });
    expect((await h.post('/api/policies/gemini-only/publish', { graph: geminiOnly })).status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await openai.close();
  });

  it('answers 503 provider_not_configured naming GEMINI_API_KEY, streamed or not, and bills nothing', async () => {
    for (const stream of [false, true]) {
      const error = await h.client.chat.completions.create({ ...hello(), stream }, viaGemini).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, type: 'upstream_error', code: 'provider_not_configured' });
      expect((error as Error).message).toContain('GEMINI_API_KEY');
      expect((error as Error).message).toContain('No provider on this route is configured');
    }
    const records = (await ledgerText(h)).trim().split('\n').map((l) => JSON.parse(l) as { status: number; costUsd: number; provider: string | null });
    expect(records.filter((r) => r.status === 503)).toEqual([expect.objectContaining({ costUsd: 0, provider: null }), expect.objectContaining({ costUsd: 0, provider: null })]);
  });
});

describe('only Gemini configured', () => {
  const GEMINI_KEY = 'gm-secret-1a2b3c4d5e';
  let gemini: UpstreamServer;
  let h: Harness;

  beforeAll(async () => {
    gemini = await startGeminiUpstream({ apiKey: GEMINI_KEY });
    h = await startHarness({ GEMINI_BASE_URL: gemini.url, GEMINI_API_KEY: GEMINI_KEY });
    expect((await h.post('/api/policies/gemini-only/publish', { graph: geminiOnly })).status).toBe(200);
  });
  afterAll(async () => {
    await h.close();
    await gemini.close();
  });

  it('serves the Gemini route from the upstream', async () => {
    const { response } = await h.client.chat.completions.create(hello(), viaGemini).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('gemini');
  });

  it('keeps the simulator out: the default policy’s OpenAI and Claude routes fail naming their variables', async () => {
    const error = await h.client.chat.completions.create(hello()).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'provider_not_configured' });
    expect((error as Error).message).toContain('OPENAI_API_KEY');
    expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    expect((error as Error).message).not.toContain('simulated');
  });

  it('a Gemini stream error event that echoes the key reaches neither the caller nor the ledger', async () => {
    const googleShaped = `AIza${'Sy0123456789abcdefghijklmnopqrs_-XY'}`;
    gemini.setFault({ errorEventAfterChunks: 1, message: `API key ${GEMINI_KEY} expired; try ${googleShaped}` });
    const response = await h.post('/v1/chat/completions', { ...hello(), stream: true }, viaGemini.headers);
    gemini.setFault(null);
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('stream_interrupted');
    expect(text).toContain('API key [redacted] expired; try [redacted]');
    const ledger = await ledgerText(h);
    expect(ledger).toContain('expired');
    for (const out of [text, ledger]) {
      expect(out).not.toContain(GEMINI_KEY);
      expect(out).not.toContain(googleShaped);
    }
  });
});
