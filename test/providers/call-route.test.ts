import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { AnthropicProvider } from '../../server/providers/anthropic-provider.js';
import { RouteFailedError, callRoute, retryDelay } from '../../server/providers/call-route.js';
import type { ResolvedTarget } from '../../server/providers/call-route.js';
import { OpenAIProvider } from '../../server/providers/openai-provider.js';
import { ProviderError } from '../../server/providers/provider.js';
import type { Provider } from '../../server/providers/provider.js';
import { SimulatorProvider } from '../../server/providers/simulator-provider.js';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { assembleChunks, collectChunks } from '../support/collect-stream.js';
import { startOpenAIUpstream } from '../support/openai-upstream.js';
import type { UpstreamServer } from '../support/openai-upstream.js';
import { rejectionOf } from '../support/rejection.js';

const request: ChatCompletionRequest = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] };

let openaiUpstream: UpstreamServer;
let anthropicUpstream: UpstreamServer;
let openai: OpenAIProvider;
let anthropic: AnthropicProvider;
const simulator = new SimulatorProvider();

beforeAll(async () => {
  openaiUpstream = await startOpenAIUpstream();
  anthropicUpstream = await startAnthropicUpstream();
  openai = new OpenAIProvider({ baseUrl: openaiUpstream.url });
  anthropic = new AnthropicProvider({ baseUrl: anthropicUpstream.url });
});
afterEach(() => {
  for (const upstream of [openaiUpstream, anthropicUpstream]) {
    upstream.setFault(null);
    upstream.requests.length = 0;
  }
});
afterAll(async () => {
  await Promise.all([openai.close(), anthropic.close()]);
  await Promise.all([openaiUpstream.close(), anthropicUpstream.close()]);
});

function target(node: string, provider: Provider, model: string, extra: Partial<ResolvedTarget> = {}): ResolvedTarget {
  return { node, model, provider, timeoutMs: 2000, retries: 0, backoffMs: 100, ...extra };
}

/** Records the waits callRoute asks for instead of sleeping, so tests need no timing. */
function waits(): { delays: number[]; wait: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, wait: async (ms) => void delays.push(ms) };
}

const failure = (promise: Promise<unknown>) => rejectionOf(promise, RouteFailedError);

describe('callRoute', () => {
  it('answers from the first target when it succeeds', async () => {
    const result = await callRoute([target('route-1', openai, 'gpt-4o-mini'), target('route-2', simulator, 'x')], request, { stream: false });
    expect(result.target.node).toBe('route-1');
    expect(result.attempts).toEqual([{ node: 'route-1', model: 'gpt-4o-mini', provider: 'openai', ok: true }]);
    expect(result.completion.body).toMatchObject({ model: 'gpt-4o-mini' });
  });

  it('retries a retryable failure on the same target after the backoff', async () => {
    openaiUpstream.setFault({ status: 503, times: 1 });
    const { delays, wait } = waits();
    const result = await callRoute([target('r', openai, 'gpt-4o-mini', { retries: 1 })], request, { stream: false, wait });
    expect(result.attempts.map((a) => [a.ok, a.status])).toEqual([
      [false, 503],
      [true, undefined],
    ]);
    expect(delays).toEqual([100]);
  });

  it('doubles the backoff on each retry', async () => {
    openaiUpstream.setFault({ status: 500, times: 3 });
    const { delays, wait } = waits();
    const result = await callRoute([target('r', openai, 'gpt-4o-mini', { retries: 3 })], request, { stream: false, wait });
    expect(delays).toEqual([100, 200, 400]);
    expect(result.attempts).toHaveLength(4);
  });

  it('waits for Retry-After when it is longer than the backoff', async () => {
    openaiUpstream.setFault({ status: 429, retryAfter: '2', times: 1 });
    const { delays, wait } = waits();
    await callRoute([target('r', openai, 'gpt-4o-mini', { retries: 1 })], request, { stream: false, wait });
    expect(delays).toEqual([2000]);
  });

  it('moves on to the next target instead of sleeping through a Retry-After past the cap', async () => {
    openaiUpstream.setFault({ status: 429, retryAfter: '30' });
    const { delays, wait } = waits();
    const result = await callRoute([target('primary', openai, 'gpt-4o', { retries: 2 }), target('fallback', anthropic, 'claude-3-5-haiku-20241022')], request, {
      stream: false,
      wait,
    });
    expect(delays).toEqual([]);
    expect(result.target.node).toBe('fallback');
    expect(result.attempts.map((a) => `${a.node}:${a.ok}`)).toEqual(['primary:false', 'fallback:true']);
  });

  it('tries fallbacks in order after each target used up its retries', async () => {
    openaiUpstream.setFault({ status: 500 });
    anthropicUpstream.setFault({ reset: true });
    const { wait } = waits();
    const result = await callRoute(
      [target('a', openai, 'gpt-4o', { retries: 1 }), target('b', anthropic, 'claude-x', { retries: 1 }), target('c', simulator, 'gpt-4o-mini')],
      request,
      { stream: false, wait },
    );
    expect(result.attempts.map((a) => `${a.node}/${a.provider}:${a.ok}`)).toEqual([
      'a/openai:false',
      'a/openai:false',
      'b/anthropic:false',
      'b/anthropic:false',
      'c/simulator:true',
    ]);
    expect(result.attempts[0]).toMatchObject({ status: 500 });
    expect(result.attempts[2]!.error).toContain('connection failed');
  });

  it('returns a 400 to the caller without retries or fallbacks', async () => {
    openaiUpstream.setFault({ status: 400, message: 'messages[0] is invalid' });
    const error = await failure(callRoute([target('a', openai, 'gpt-4o', { retries: 2 }), target('b', simulator, 'x')], request, { stream: false }));
    expect(error.attempts).toHaveLength(1);
    expect(error.lastError).toMatchObject({ kind: 'http', status: 400, body: { error: { message: 'messages[0] is invalid' } } });
  });

  it('skips to the next target without retrying when a provider refuses its key', async () => {
    anthropicUpstream.setFault({ status: 401 });
    const { delays, wait } = waits();
    const result = await callRoute([target('a', anthropic, 'claude-x', { retries: 2 }), target('b', openai, 'gpt-4o-mini')], request, { stream: false, wait });
    expect(delays).toEqual([]);
    expect(result.attempts.map((a) => a.status ?? 'ok')).toEqual([401, 'ok']);
  });

  it('throws RouteFailedError with every attempt and the last error when all targets fail', async () => {
    openaiUpstream.setFault({ status: 502 });
    anthropicUpstream.setFault({ status: 529 });
    const { wait } = waits();
    const error = await failure(callRoute([target('a', openai, 'gpt-4o', { retries: 1 }), target('b', anthropic, 'claude-x')], request, { stream: false, wait }));
    expect(error.attempts.map((a) => a.status)).toEqual([502, 502, 529]);
    expect(error.lastError).toBeInstanceOf(ProviderError);
    expect(error.lastError.status).toBe(529);
  });

  it('falls back for streams that fail before their first chunk', async () => {
    openaiUpstream.setFault({ errorEventAfterChunks: 0 });
    const result = await callRoute([target('a', openai, 'gpt-4o'), target('b', anthropic, 'claude-x')], request, { stream: true });
    expect(result.target.node).toBe('b');
    expect(assembleChunks(await collectChunks(result.stream)).content).toBe('echo claude-x: hi');
  });

  it('gives up without further attempts when the caller aborts', async () => {
    openaiUpstream.setFault({ hangMs: 10_000 });
    const controller = new AbortController();
    const pending = callRoute([target('a', openai, 'gpt-4o', { retries: 3 }), target('b', simulator, 'x')], request, { stream: false, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await failure(pending);
    expect(error.attempts).toHaveLength(1);
    expect(error.lastError.kind).toBe('cancelled');
  });
});

describe('retryDelay', () => {
  const error = (retryAfterMs: number | null) => new ProviderError('x', 'http', 429, retryAfterMs);

  it('doubles the backoff per attempt when no Retry-After is given', () => {
    expect([0, 1, 2].map((n) => retryDelay({ target: { backoffMs: 250 }, attempt: n, error: error(null), capMs: 10_000 }))).toEqual([250, 500, 1000]);
  });

  it('takes the longer of backoff and Retry-After, and null past the cap', () => {
    expect(retryDelay({ target: { backoffMs: 250 }, attempt: 0, error: error(100), capMs: 10_000 })).toBe(250);
    expect(retryDelay({ target: { backoffMs: 250 }, attempt: 0, error: error(3000), capMs: 10_000 })).toBe(3000);
    expect(retryDelay({ target: { backoffMs: 250 }, attempt: 0, error: error(20_000), capMs: 10_000 })).toBeNull();
  });
});
