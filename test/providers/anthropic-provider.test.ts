import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { ANTHROPIC_VERSION, AnthropicProvider } from '../../server/providers/anthropic-provider.js';
import { ProviderError } from '../../server/providers/provider.js';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import type { UpstreamServer } from '../support/anthropic-upstream.js';
import { assembleChunks, collectChunks } from '../support/collect-stream.js';
import { rejectionOf } from '../support/rejection.js';

const KEY = 'sk-ant-test-secret';
const MODEL = 'claude-3-5-haiku-20241022';
const request: ChatCompletionRequest = {
  model: 'asked',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello there' },
  ],
};
const call = { model: MODEL, timeoutMs: 2000 };

let upstream: UpstreamServer;
let provider: AnthropicProvider;

beforeAll(async () => {
  upstream = await startAnthropicUpstream({
    apiKey: KEY,
    cacheReadTokens: 4,
    respond: (body) => {
      const last = JSON.stringify((body.messages as unknown[]).at(-1));
      return last.includes('weather') ? { text: '', toolUses: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] } : {};
    },
  });
  provider = new AnthropicProvider({ baseUrl: upstream.url, apiKey: KEY });
});
afterEach(() => {
  upstream.setFault(null);
  upstream.requests.length = 0;
});
afterAll(async () => {
  await provider.close();
  await upstream.close();
});

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, ProviderError);

describe('AnthropicProvider.complete', () => {
  it('posts a Messages request with the key and version headers and answers as chat.completion', async () => {
    const completion = await provider.complete(request, call);
    expect(completion.body).toMatchObject({
      object: 'chat.completion',
      model: MODEL,
      choices: [{ message: { role: 'assistant', content: `echo ${MODEL}: hello there` }, finish_reason: 'stop' }],
    });
    expect(completion.usage).toEqual({ inputTokens: 14, outputTokens: 4, cachedInputTokens: 4 });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(KEY);
    expect(sent.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(sent.body).toMatchObject({ model: MODEL, system: 'Be brief.', max_tokens: 4096 });
  });

  it('returns tool_use blocks as tool_calls', async () => {
    const completion = await provider.complete({ model: 'a', messages: [{ role: 'user', content: 'weather in Paris?' }] }, call);
    expect(completion.body).toMatchObject({
      choices: [{ message: { content: null, tool_calls: [{ id: 'toolu_1', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] }, finish_reason: 'tool_calls' }],
    });
  });

  it('turns an Anthropic error body into an http ProviderError with an OpenAI-shaped body', async () => {
    upstream.setFault({ status: 529, message: 'Overloaded' });
    const error = await rejection(provider.complete(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 529, retryable: true, body: { error: { type: 'overloaded_error', message: 'Overloaded' } } });
  });

  it('reads Retry-After from a 429', async () => {
    upstream.setFault({ status: 429, retryAfter: '3' });
    const error = await rejection(provider.complete(request, call));
    expect(error).toMatchObject({ status: 429, retryAfterMs: 3000, body: { error: { type: 'rate_limit_error' } } });
  });

  it('reports a wrong key as a non-retryable 401', async () => {
    const wrong = new AnthropicProvider({ baseUrl: upstream.url, apiKey: 'not-the-key' });
    const error = await rejection(wrong.complete(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 401, retryable: false, body: { error: { type: 'authentication_error' } } });
    await wrong.close();
  });

  it('times out, and reports resets, cut bodies and unparsable bodies by kind', async () => {
    upstream.setFault({ hangMs: 10_000 });
    expect((await rejection(provider.complete(request, { ...call, timeoutMs: 150 }))).kind).toBe('timeout');
    upstream.setFault({ reset: true });
    expect((await rejection(provider.complete(request, call))).kind).toBe('network');
    upstream.setFault({ cutAfterChunks: 1 });
    expect((await rejection(provider.complete(request, call))).kind).toBe('network');
    upstream.setFault({ malformed: true });
    expect((await rejection(provider.complete(request, call))).kind).toBe('protocol');
  });
});

describe('AnthropicProvider.stream', () => {
  it('streams text as chat.completion.chunk objects ending with a usage chunk', async () => {
    const stream = await provider.stream(request, call);
    const chunks = await collectChunks(stream);
    expect(assembleChunks(chunks)).toEqual({ content: `echo ${MODEL}: hello there`, toolCalls: [], finishReason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 14, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 4 } } });
    expect(stream.usage()).toEqual({ inputTokens: 14, outputTokens: 4, cachedInputTokens: 4 });
    expect(upstream.requests[0]!.body).toMatchObject({ stream: true });
  });

  it('streams tool calls from input_json_delta events', async () => {
    const stream = await provider.stream({ model: 'a', messages: [{ role: 'user', content: 'weather in Paris?' }] }, call);
    expect(assembleChunks(await collectChunks(stream))).toEqual({
      content: '',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' }],
      finishReason: 'tool_calls',
    });
  });

  it('rejects before any chunk on an http error or an error event first', async () => {
    upstream.setFault({ status: 500 });
    expect(await rejection(provider.stream(request, call))).toMatchObject({ kind: 'http', status: 500 });
    upstream.setFault({ errorEventAfterChunks: 0 });
    expect(await rejection(provider.stream(request, call))).toMatchObject({ kind: 'http', status: 529 });
  });

  it('times out when the first event does not arrive in time', async () => {
    upstream.setFault({ hangAfterHeadersMs: 10_000 });
    expect((await rejection(provider.stream(request, { ...call, timeoutMs: 150 }))).kind).toBe('timeout');
  });

  it('throws from the iterator when the stream is cut, errors or ends without message_stop midway', async () => {
    upstream.setFault({ cutAfterChunks: 4 });
    expect((await rejection(collectChunks(await provider.stream(request, call)))).kind).toBe('network');
    upstream.setFault({ errorEventAfterChunks: 4 });
    expect((await rejection(collectChunks(await provider.stream(request, call)))).status).toBe(529);
    upstream.setFault({ omitEnd: true });
    const ended = await rejection(collectChunks(await provider.stream(request, call)));
    expect(ended.kind).toBe('protocol');
    expect(ended.message).toContain('message_stop');
  });
});
