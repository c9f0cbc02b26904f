import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { GeminiProvider } from '../../server/providers/gemini-provider.js';
import { ProviderError } from '../../server/providers/provider.js';
import { startGeminiUpstream, type UpstreamServer } from '../support/gemini-upstream.js';
import { assembleChunks, collectChunks } from '../support/collect-stream.js';
import { rejectionOf } from '../support/rejection.js';

const KEY = 'gemini-test-secret';
const MODEL = 'gemini-2.5-flash';
const request: ChatCompletionRequest = {
  model: 'asked',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello there' },
  ],
  max_tokens: 50,
};
const call = { model: MODEL, timeoutMs: 2000 };

let upstream: UpstreamServer;
let provider: GeminiProvider;

beforeAll(async () => {
  upstream = await startGeminiUpstream({
    apiKey: KEY,
    cachedTokens: 6,
    respond: (body) => (JSON.stringify(body.contents).includes('weather') ? { text: '', functionCalls: [{ name: 'get_weather', args: { city: 'Paris' } }] } : {}),
  });
  provider = new GeminiProvider({ baseUrl: upstream.url, apiKey: KEY });
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

describe('GeminiProvider.complete', () => {
  it('posts generateContent with the key in a header and answers as chat.completion with usage', async () => {
    const completion = await provider.complete(request, call);
    expect(completion.body).toMatchObject({
      object: 'chat.completion',
      model: MODEL,
      choices: [{ message: { role: 'assistant', content: 'echo hello there' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 16, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 6 } },
    });
    expect(completion.usage).toEqual({ inputTokens: 16, outputTokens: 3, cachedInputTokens: 6 });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe(`/v1beta/models/${MODEL}:generateContent`);
    expect(sent.headers['x-goog-api-key']).toBe(KEY);
    expect(sent.path).not.toContain(KEY);
    expect(sent.body).toMatchObject({ systemInstruction: { parts: [{ text: 'Be brief.' }] }, generationConfig: { maxOutputTokens: 50 } });
  });

  it('translates tools both ways: declarations out, a functionCall back as tool_calls, the result as functionResponse', async () => {
    const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const first = await provider.complete({ model: 'x', messages: [{ role: 'user', content: 'weather in Paris?' }], tools, tool_choice: 'required' }, call);
    const message = (first.body.choices as { message: { tool_calls: { id: string; function: { name: string; arguments: string } }[] } }[])[0]!.message;
    expect(message.tool_calls[0]!.function).toEqual({ name: 'get_weather', arguments: '{"city":"Paris"}' });
    expect((first.body.choices as { finish_reason: string }[])[0]!.finish_reason).toBe('tool_calls');
    expect(upstream.requests[0]!.body).toMatchObject({
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather' }] }],
      toolConfig: { functionCallingConfig: { mode: 'ANY' } },
    });

    await provider.complete(
      {
        model: 'x',
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: message.tool_calls },
          { role: 'tool', tool_call_id: message.tool_calls[0]!.id, content: '{"celsius": 21}' },
        ],
        tools,
      },
      call,
    );
    expect(upstream.requests[1]!.body).toMatchObject({
      contents: [
        { role: 'user' },
        { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { celsius: 21 } } }] },
      ],
    });
  });

  it('sends a data-URL image as inlineData and refuses a remote image URL with a 400 naming the part', async () => {
    const image = (url: string): ChatCompletionRequest => ({
      model: 'x',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this?' }, { type: 'image_url', image_url: { url } }] }],
    });
    await provider.complete(image('data:image/png;base64,iVBORw0KGgo='), call);
    expect(upstream.requests[0]!.body).toMatchObject({ contents: [{ parts: [{ text: 'what is this?' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }] }] });
    const error = await rejection(provider.complete(image('https://example.com/cat.png'), call));
    expect(error.status).toBe(400);
    expect(error.body).toMatchObject({ error: { param: 'messages[0].content[1]' } });
  });

  it('maps Google errors to ProviderErrors: 429 with Retry-After is retryable, 400 is not, the key never shows', async () => {
    upstream.setFault({ status: 429, retryAfter: '2', message: `quota exceeded for key ${KEY}` });
    const limited = await rejection(provider.complete(request, call));
    expect(limited).toMatchObject({ status: 429, retryAfterMs: 2000, retryable: true });
    expect(limited.message).toContain('RESOURCE_EXHAUSTED');
    expect(JSON.stringify(limited.body) + limited.message).not.toContain(KEY);
    upstream.setFault({ status: 400 });
    expect((await rejection(provider.complete(request, call))).retryable).toBe(false);
  });

  it('times out a hanging upstream and reports a reset as a network error', async () => {
    upstream.setFault({ hangMs: 1000 });
    expect((await rejection(provider.complete(request, { ...call, timeoutMs: 100 }))).kind).toBe('timeout');
    upstream.setFault({ reset: true });
    expect((await rejection(provider.complete(request, call))).kind).toBe('network');
  });
});

describe('GeminiProvider.stream', () => {
  it('streams SSE events as chat.completion.chunk objects with a final usage chunk', async () => {
    const stream = await provider.stream(request, call);
    const chunks = await collectChunks(stream);
    expect(assembleChunks(chunks)).toMatchObject({ content: 'echo hello there', finishReason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 16, completion_tokens: 3 } });
    expect(stream.usage()).toEqual({ inputTokens: 16, outputTokens: 3, cachedInputTokens: 6 });
    expect(upstream.requests[0]!.path).toBe(`/v1beta/models/${MODEL}:streamGenerateContent?alt=sse`);
  });

  it('streams a function call as a tool_calls chunk', async () => {
    const chunks = await collectChunks(await provider.stream({ model: 'x', messages: [{ role: 'user', content: 'weather?' }], tools: [{ type: 'function', function: { name: 'get_weather' } }] }, call));
    expect(assembleChunks(chunks)).toMatchObject({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }], finishReason: 'tool_calls' });
  });

  it('rejects before the first chunk on an error event, so the route can fall back; a cut stream fails midway', async () => {
    upstream.setFault({ errorEventAfterChunks: 0 });
    expect(await rejection(provider.stream(request, call))).toMatchObject({ status: 503 });
    upstream.setFault({ omitEnd: true });
    const cut = await provider.stream(request, call);
    await expect(collectChunks(cut)).rejects.toThrow(/ended before a finish reason/);
  });
});
