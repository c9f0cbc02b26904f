import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { startGeminiUpstream } from '../support/gemini-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { startHarness, type Harness } from './harness.js';

const policy = (id: string, route: Record<string, unknown>, promptCache: boolean) => ({
  id,
  name: id,
  nodes: [node('req', 'request'), ...(promptCache ? [node('pc', 'promptCache')] : []), node('go', 'route', { retries: 0, ...route })],
  edges: promptCache ? [edge('req', 'next', 'pc'), edge('pc', 'next', 'go')] : [edge('req', 'next', 'go')],
});

const SONNET = { model: 'claude-sonnet-4-20250514', provider: 'anthropic' };
const GPT = { model: 'gpt-4o', provider: 'openai' };
/** About 2,000 tokens of house rules: over every model's cacheable minimum. */
const SYSTEM = Array.from({ length: 160 }, (_, i) => `Rule ${i}: refunds within ${i + 1} days need the receipt and the order number.`).join('\n');

let anthropic: UpstreamServer;
let openai: UpstreamServer;
let gemini: UpstreamServer;
let h: Harness;

beforeAll(async () => {
  anthropic = await startAnthropicUpstream({ apiKey: 'sk-ant-upstream', promptCache: { minTokens: 1024 } });
  openai = await startOpenAIUpstream({ apiKey: 'sk-upstream', prefixCache: { minTokens: 1024 } });
  gemini = await startGeminiUpstream({ apiKey: 'gm-key', cachedTokens: 2048 });
  h = await startHarness({
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_API_KEY: 'sk-ant-upstream',
    OPENAI_BASE_URL: openai.url,
    OPENAI_API_KEY: 'sk-upstream',
    GEMINI_BASE_URL: gemini.url,
    GEMINI_API_KEY: 'gm-key',
  });
  const graphs = [
    policy('pc-anthropic', SONNET, true),
    policy('plain-anthropic', SONNET, false),
    policy('pc-openai', GPT, true),
    policy('plain-openai', GPT, false),
    policy('plain-gemini', { model: 'gemini-2.5-flash', provider: 'gemini' }, false),
  ];
  for (const graph of graphs) expect((await h.post(`/api/policies/${graph.id}/publish`, { graph })).status).toBe(200);
});
afterAll(async () => {
  await h.close();
  await Promise.all([anthropic.close(), openai.close(), gemini.close()]);
});

async function ask(policyId: string, body: { question: string; system?: string; tools?: unknown[]; systemLast?: boolean }) {
  const system = { role: 'system' as const, content: body.system ?? SYSTEM };
  const user = { role: 'user' as const, content: body.question };
  const { data, response } = await h.client.chat.completions
    .create(
      { model: 'gpt-4o', messages: body.systemLast ? [user, system] : [system, user], ...(body.tools ? { tools: body.tools as never } : {}) },
      { headers: { 'x-tollgate-policy': policyId } },
    )
    .withResponse();
  return { data, record: await ledgerRecord(response.headers.get('x-tollgate-request-id')!) };
}

async function ledgerRecord(id: string): Promise<Record<string, number>> {
  const day = new Date().toISOString().slice(0, 10);
  const text = await readFile(path.join(h.dataDir, 'ledger', `usage-${day}.jsonl`), 'utf8');
  // Parallel requests may be mid-append: only lines that end in a newline are whole records.
  const lines = text.slice(0, text.lastIndexOf('\n')).split('\n').filter((l) => l.length > 0);
  return lines.map((l) => JSON.parse(l)).find((r) => r.id === id);
}

describe('a Prompt cache node on a route to Anthropic', () => {
  it('marks the system prompt with cache_control; the first call writes the cache, the next ones read it, and the ledger books the saving apart', async () => {
    const first = await ask('pc-anthropic', { question: 'Can I return shoes?' });
    const body = anthropic.requests.at(-1)!.body as { system: unknown };
    expect(body.system).toEqual([{ type: 'text', text: SYSTEM, cache_control: { type: 'ephemeral' } }]);
    expect(first.record.cacheWriteTokens).toBeGreaterThan(1024);
    expect(first.record.cachedInputTokens).toBe(0);
    // Writes cost 1.25x input: the first call pays a premium, booked as a negative saving.
    expect(first.record.promptCacheSavedUsd).toBeCloseTo((-first.record.cacheWriteTokens! * 0.75) / 1e6, 12);

    const second = await ask('pc-anthropic', { question: 'Can I return a hat?' });
    expect(second.data.usage?.prompt_tokens_details?.cached_tokens).toBe(first.record.cacheWriteTokens);
    expect(second.record.cachedInputTokens).toBe(first.record.cacheWriteTokens);
    expect(second.record.cacheWriteTokens).toBe(0);
    expect(second.record.promptCacheSavedUsd).toBeCloseTo((second.record.cachedInputTokens! * (3 - 0.3)) / 1e6, 12);
    expect(second.record.costUsd).toBeLessThan(first.record.costUsd! / 3);
  });

  it('books cache writes and reads from a stream too, and counts them in /metrics', async () => {
    const system = `${SYSTEM}\nStreamed.`;
    const streamed = async (question: string) => {
      const stream = await h.client.chat.completions
        .create({ model: 'gpt-4o', stream: true, messages: [{ role: 'system', content: system }, { role: 'user', content: question }] }, { headers: { 'x-tollgate-policy': 'pc-anthropic' } })
        .withResponse();
      for await (const _ of stream.data) void _;
      return ledgerRecord(stream.response.headers.get('x-tollgate-request-id')!);
    };
    const first = await streamed('one');
    const second = await streamed('two');
    expect(first.cacheWriteTokens).toBeGreaterThan(1024);
    expect(second.cachedInputTokens).toBe(first.cacheWriteTokens);
    expect(second.promptCacheSavedUsd).toBeGreaterThan(0);
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/tollgate_tokens_total\{direction="cached",model="claude-sonnet-4-20250514"\} [1-9]/);
    expect(metrics).toMatch(/tollgate_tokens_total\{direction="cache_write",model="claude-sonnet-4-20250514"\} [1-9]/);
  });

  it('without the node the same prompt is never cached', async () => {
    await ask('plain-anthropic', { question: 'Can I return shoes?', system: `${SYSTEM}\nPlain.` });
    const again = await ask('plain-anthropic', { question: 'Can I return a hat?', system: `${SYSTEM}\nPlain.` });
    expect(JSON.stringify(anthropic.requests.at(-1)!.body)).not.toContain('cache_control');
    expect(again.record).toMatchObject({ cachedInputTokens: 0, cacheWriteTokens: 0, promptCacheSavedUsd: 0 });
  });

  it('books every one of 50 parallel cached calls, and /api/usage sums the promptCache category', async () => {
    const system = `${SYSTEM}\nParallel.`;
    await ask('pc-anthropic', { question: 'warm the cache', system });
    const before = await usageOf('pc-anthropic');
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => ask('pc-anthropic', { question: `question ${i}`, system })));
    const each = results.map((r) => r.record.promptCacheSavedUsd!);
    expect(each.every((s) => s > 0)).toBe(true);
    const after = await usageOf('pc-anthropic');
    expect(after.requests - before.requests).toBe(50);
    // Usage sums whole micro-dollars per record, as it does for cost.
    const micros = each.reduce((sum, saved) => sum + Math.round(saved * 1e6), 0);
    expect(Math.round((after.promptCacheSavedUsd - before.promptCacheSavedUsd) * 1e6)).toBe(micros);
  });
});

async function usageOf(policyId: string): Promise<{ requests: number; promptCacheSavedUsd: number }> {
  const response = await fetch(`${h.url}/api/usage?groupBy=policy`);
  const body = (await response.json()) as { groups: { key: string; requests: number; promptCacheSavedUsd: number }[] };
  return body.groups.find((g) => g.key === policyId) ?? { requests: 0, promptCacheSavedUsd: 0 };
}

describe('a Prompt cache node on a route to OpenAI', () => {
  const tool = (name: string) => ({ type: 'function', function: { name, description: `Looks up ${name}.`, parameters: { type: 'object', properties: { id: { type: 'string' } } } } });

  it('keeps the stable prefix first, so OpenAI’s automatic cache matches when the caller shuffles tools and puts the system prompt last', async () => {
    await ask('pc-openai', { question: 'Where is order 1?', tools: [tool('orders'), tool('refunds')], systemLast: true });
    const sent = openai.requests.at(-1)!.body as { messages: { role: string }[]; tools: { function: { name: string } }[] };
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user']);
    const second = await ask('pc-openai', { question: 'Where is order 2?', tools: [tool('refunds'), tool('orders')], systemLast: true });
    expect(second.data.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(1024);
    expect(second.record.cachedInputTokens).toBe(second.data.usage?.prompt_tokens_details?.cached_tokens);
    expect(second.record.promptCacheSavedUsd).toBeCloseTo((second.record.cachedInputTokens! * (2.5 - 1.25)) / 1e6, 12);
  });

  it('without the node the shuffled requests miss the cache', async () => {
    const system = `${SYSTEM}\nPlain OpenAI.`;
    await ask('plain-openai', { question: 'Where is order 1?', system, tools: [tool('orders'), tool('refunds')], systemLast: true });
    const second = await ask('plain-openai', { question: 'Where is order 2?', system, tools: [tool('refunds'), tool('orders')], systemLast: true });
    expect(second.record).toMatchObject({ cachedInputTokens: 0, promptCacheSavedUsd: 0 });
  });
});

describe('Gemini context caching', () => {
  it('books cachedContentTokenCount at the cached price and the saving in the promptCache category', async () => {
    const { record } = await ask('plain-gemini', { question: 'hello' });
    expect(record.cachedInputTokens).toBe(2048);
    expect(record.promptCacheSavedUsd).toBeCloseTo((2048 * (0.3 - 0.075)) / 1e6, 12);
  });
});
