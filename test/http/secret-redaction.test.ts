import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

// Not sk- shaped on purpose: these are caught because they are configured, not by their shape.
const OPENAI_KEY = 'oa-secret-7f3a9c1d2e';
const ANTHROPIC_KEY = 'an-secret-5b6c7d8e9f';
const ECHOED = 'sk-proj-LEAKED0123456789';

let openai: UpstreamServer;
let anthropic: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  openai = await startOpenAIUpstream({ apiKey: OPENAI_KEY });
  anthropic = await startAnthropicUpstream({ apiKey: ANTHROPIC_KEY });
  h = await startHarness({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: OPENAI_KEY, ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: ANTHROPIC_KEY });
});
afterAll(async () => {
  await h.close();
  await openai.close();
  await anthropic.close();
});
beforeEach(() => {
  openai.setFault(null);
  anthropic.setFault(null);
});

/** The raw SSE text the caller receives, error event included. */
async function streamText(): Promise<string> {
  const response = await h.post('/v1/chat/completions', { ...hello(), stream: true });
  expect(response.status).toBe(200);
  return response.text();
}

async function ledgerText(): Promise<string> {
  const dir = path.join(h.dataDir, 'ledger');
  const files = await readdir(dir);
  return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('');
}

function expectClean(text: string): void {
  expect(text).not.toContain(OPENAI_KEY);
  expect(text).not.toContain(ANTHROPIC_KEY);
  expect(text).not.toContain(ECHOED);
}

describe('an upstream stream error event that echoes the key mid-stream', () => {
  it('OpenAI: neither the caller’s stream nor the ledger file contains the key', async () => {
    openai.setFault({ errorEventAfterChunks: 2, message: `key Bearer ${ECHOED} revoked (configured ${OPENAI_KEY})` });
    const text = await streamText();
    expect(text).toContain('stream_interrupted');
    expect(text).toContain('key Bearer [redacted] revoked (configured [redacted])');
    expectClean(text);
    const ledger = await ledgerText();
    expect(ledger).toContain('revoked');
    expectClean(ledger);
  });

  it('Anthropic (after an OpenAI fallback): the same for its `error` event', async () => {
    openai.setFault({ status: 503 });
    anthropic.setFault({ errorEventAfterChunks: 2, message: `invalid x-api-key ${ANTHROPIC_KEY}, Bearer ${ECHOED}` });
    const text = await streamText();
    expect(text).toContain('stream_interrupted');
    expectClean(text);
    expectClean(await ledgerText());
  });
});

describe('errors before the first byte', () => {
  it('a first-event error that echoes the key falls back or fails without it, in the body and the ledger', async () => {
    openai.setFault({ errorEventAfterChunks: 0, message: `revoked ${OPENAI_KEY}` });
    anthropic.setFault({ status: 401, message: `Bearer ${ECHOED} is not valid for ${ANTHROPIC_KEY}` });
    const response = await h.post('/v1/chat/completions', { ...hello(), stream: true });
    expect(response.status).toBe(401); // the last provider's own 4xx passes through
    const body = await response.text();
    expect(body).toContain('[redacted]');
    expectClean(body);
    expectClean(await ledgerText());
  });
});
