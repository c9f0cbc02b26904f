import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Graph } from '../../shared/graph.js';
import { countPromptTokens } from '../../server/facts/tokens.js';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';

/**
 * A budget path whose route falls back to a model ten times dearer: the cheap model's provider
 * fails every call, so every admitted request ends on the fallback at $0.0125. Were the
 * reservation priced at the route's own model ($0.00125), all 50 would fit under $0.125.
 */
const REQUEST_MICROS = 12_500;
const LIMIT_USD = 0.125;
const LIMIT_MICROS = 125_000;
const messages = [{ role: 'user' as const, content: 'Summarise the quarterly report in three bullet points.' }];
const PROMPT = countPromptTokens(messages);
const OUTPUT = 1250 - PROMPT;

let openai: UpstreamServer;
let anthropic: UpstreamServer;
let h: Harness;
let pricingDir: string;

const graph = {
  id: 'budget-fallback',
  name: 'Budget with a dearer fallback',
  description: 'A cheap model first, a dear one when it fails, both under one team budget.',
  version: 1,
  nodes: [
    { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
    { id: 'budget', kind: 'budget', label: 'Team budget', position: { x: 200, y: 0 }, params: { scope: 'tag:team', limitUsd: LIMIT_USD, window: 'day', thresholdPct: 100 } },
    { id: 'refuse', kind: 'block', label: 'Refuse', position: { x: 400, y: -100 }, params: { status: 429, message: 'Team budget spent.' } },
    { id: 'cheap', kind: 'route', label: 'Cheap', position: { x: 400, y: 100 }, params: { model: 'metered-mini', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
    { id: 'dear', kind: 'route', label: 'Dear fallback', position: { x: 600, y: 100 }, params: { model: 'metered-claude', provider: 'auto', timeoutMs: 10_000, retries: 0, backoffMs: 0 } },
  ],
  edges: [
    { id: 'request.next', source: 'request', sourceHandle: 'next', target: 'budget' },
    { id: 'budget.over', source: 'budget', sourceHandle: 'over', target: 'refuse' },
    { id: 'budget.ok', source: 'budget', sourceHandle: 'ok', target: 'cheap' },
    { id: 'cheap.onError', source: 'cheap', sourceHandle: 'onError', target: 'dear' },
  ],
} as Graph;

beforeAll(async () => {
  openai = await startOpenAIUpstream();
  anthropic = await startAnthropicUpstream({ respond: () => ({ text: 'Revenue up, costs flat.', usage: { input_tokens: PROMPT, output_tokens: OUTPUT } }) });
  pricingDir = await mkdtemp(path.join(tmpdir(), 'tollgate-pricing-'));
  const pricingFile = path.join(pricingDir, 'pricing.json');
  const models = { 'metered-mini': { provider: 'openai', input: 1, output: 1 }, 'metered-claude': { provider: 'anthropic', input: 10, output: 10 } };
  await writeFile(pricingFile, JSON.stringify({ models }));
  h = await startHarness(
    { OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream', ANTHROPIC_BASE_URL: anthropic.url, ANTHROPIC_API_KEY: 'sk-ant-upstream' },
    { pricingFile },
  );
  expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await openai.close();
  await anthropic.close();
  await rm(pricingDir, { recursive: true, force: true });
});

describe('a budget whose route falls back to a dearer model', () => {
  it('reserves at the fallback’s price: of 50 parallel requests that all end on it, at most eleven get in', async () => {
    openai.setFault({ status: 500 });
    // Slow answers keep every request in flight at once.
    anthropic.setFault({ hangMs: 300 });
    const client = new OpenAI({
      baseURL: `${h.url}/v1`,
      apiKey: 'sk-test-service-key',
      maxRetries: 0,
      defaultHeaders: { 'x-tollgate-policy': graph.id, 'x-tollgate-tags': 'team=falling-back' },
    });
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const { response } = await client.chat.completions.create({ model: 'metered-mini', messages, max_tokens: OUTPUT }).withResponse();
          return response.headers.get('x-tollgate-model');
        } catch (error) {
          if (error instanceof OpenAI.APIError) return String(error.status);
          throw error;
        }
      }),
    );
    const served = outcomes.filter((o) => o === 'metered-claude').length;
    expect(served).toBeGreaterThanOrEqual(10);
    expect(served).toBeLessThanOrEqual(11);
    expect(outcomes.filter((o) => o === '429')).toHaveLength(50 - served);

    let booked = 0;
    for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) {
      if (record.tags.team === 'falling-back') booked += costMicrosOf(record);
    }
    expect(booked).toBe(served * REQUEST_MICROS);
    expect(booked).toBeLessThanOrEqual(LIMIT_MICROS + REQUEST_MICROS);
  });
});
