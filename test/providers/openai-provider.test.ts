import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { OpenAIProvider } from '../../server/providers/openai-provider.js';
import { ProviderError } from '../../server/providers/provider.js';
import { assembleChunks, collectChunks } from '../support/collect-stream.js';
import { startOpenAIUpstream } from '../support/openai-upstream.js';
import type { UpstreamServer } from '../support/openai-upstream.js';
import { rejectionOf } from '../support/rejection.js';

const KEY = 'sk-test-secret-123';
const request: ChatCompletionRequest = { model: 'asked-model', messages: [{ role: 'user', content: 'hello there' }], metadata: { team: 'search' } };
const call = { model: 'gpt-4o-mini', timeoutMs: 2000 };

let upstream: UpstreamServer;
let provider: OpenAIProvider;

beforeAll(async () => {
  upstream = await startOpenAIUpstream({ apiKey: KEY, cachedTokens: 3 });
  provider = new OpenAIProvider({ baseUrl: upstream.url, apiKey: KEY });
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

describe('OpenAIProvider.complete', () => {
  it('posts the request with the route model, a bearer key and stream false, and returns body and usage', async () => {
    const completion = await provider.complete(request, call);
    expect(completion.body).toMatchObject({ object: 'chat.completion', model: 'gpt-4o-mini' });
    expect(completion.usage).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 3 });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini', stream: false, messages: request.messages });
  });

  it('drops Tollgate metadata unless the caller asked OpenAI to store the completion', async () => {
    await provider.complete(request, call);
    await provider.complete({ ...request, store: true }, call);
    expect(upstream.requests[0]!.body).not.toHaveProperty('metadata');
    expect(upstream.requests[1]!.body).toMatchObject({ metadata: { team: 'search' } });
  });

  it('reuses keep-alive connections for consecutive calls', async () => {
    const fresh = new OpenAIProvider({ baseUrl: upstream.url, apiKey: KEY });
    for (let i = 0; i < 6; i++) await fresh.complete(request, call);
    await fresh.close();
    expect(connectionsUsed()).toBeLessThanOrEqual(2);
  });

  it('turns a 500 into a retryable http error carrying the upstream body', async () => {
    upstream.setFault({ status: 500, message: 'boom' });
    const error = await rejection(provider.complete(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 500, retryable: true });
    expect(error.body).toMatchObject({ error: { message: 'boom' } });
  });

  it('reads Retry-After in seconds from a 429', async () => {
    upstream.setFault({ status: 429, retryAfter: '2' });
    const error = await rejection(provider.complete(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 2000 });
  });

  it('reads Retry-After as an HTTP date from a 503', async () => {
    upstream.setFault({ status: 503, retryAfter: new Date(Date.now() + 60_000).toUTCString() });
    const error = await rejection(provider.complete(request, call));
    expect(error.retryAfterMs).toBeGreaterThan(50_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('marks a 400 as the caller\'s fault (not retryable)', async () => {
    upstream.setFault({ status: 400, message: 'bad messages' });
    const error = await rejection(provider.complete(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 400, retryable: false });
  });

  it('never puts the API key in an error message or body, even when the upstream echoes it', async () => {
    upstream.setFault({ status: 401, message: `Incorrect API key provided: ${KEY}` });
    const error = await rejection(provider.complete(request, call));
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.body)).not.toContain(KEY);
    expect(error.message).toContain('[redacted]');
  });

  it('times out when the whole answer does not arrive within timeoutMs', async () => {
    upstream.setFault({ hangMs: 10_000 });
    const error = await rejection(provider.complete(request, { ...call, timeoutMs: 150 }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('times out when the headers arrive but the body stalls, and frees the socket for the next call', async () => {
    upstream.setFault({ hangAfterHeadersMs: 10_000, times: 1 });
    const error = await rejection(provider.complete(request, { ...call, timeoutMs: 150 }));
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.message).toContain('did not answer within 150 ms');
    await expect(provider.complete(request, call)).resolves.toMatchObject({ body: { object: 'chat.completion' } });
  });

  it('reports a connection reset as a network error', async () => {
    upstream.setFault({ reset: true });
    const error = await rejection(provider.complete(request, call));
    expect(error.kind).toBe('network');
  });

  it('reports a body cut midway as a network error', async () => {
    upstream.setFault({ cutAfterChunks: 1 });
    const error = await rejection(provider.complete(request, call));
    expect(error.kind).toBe('network');
  });

  it('reports an unparsable body as a protocol error', async () => {
    upstream.setFault({ malformed: true });
    const error = await rejection(provider.complete(request, call));
    expect(error.kind).toBe('protocol');
  });

  it('recovers once a fault limited to a number of requests is used up', async () => {
    upstream.setFault({ status: 503, times: 1 });
    await rejection(provider.complete(request, call));
    await expect(provider.complete(request, call)).resolves.toMatchObject({ body: { object: 'chat.completion' } });
  });

  it('reports a refused connection as a network error', async () => {
    const port = await closedPort();
    const nowhere = new OpenAIProvider({ baseUrl: `http://127.0.0.1:${port}/v1` });
    const error = await rejection(nowhere.complete(request, call));
    expect(error.kind).toBe('network');
    await nowhere.close();
  });

  it('reports the caller aborting as cancelled, which is never retried', async () => {
    upstream.setFault({ hangMs: 10_000 });
    const controller = new AbortController();
    const pending = provider.complete(request, { ...call, signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error).toMatchObject({ kind: 'cancelled', retryable: false });
  });
});

describe('OpenAIProvider.stream', () => {
  it('asks for the usage chunk and yields every chunk in order', async () => {
    const stream = await provider.stream(request, call);
    const chunks = await collectChunks(stream);
    expect(assembleChunks(chunks)).toMatchObject({ content: 'echo gpt-4o-mini: hello there', finishReason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 10 } });
    expect(stream.usage()).toEqual({ inputTokens: 10, outputTokens: 4, cachedInputTokens: 3 });
    expect(upstream.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('keeps connections alive after streams read to [DONE]', async () => {
    const fresh = new OpenAIProvider({ baseUrl: upstream.url, apiKey: KEY });
    for (let i = 0; i < 6; i++) await collectChunks(await fresh.stream(request, call));
    await fresh.close();
    expect(connectionsUsed()).toBeLessThanOrEqual(2);
  });

  it('rejects before any chunk on an http error, so the route can fall back', async () => {
    upstream.setFault({ status: 503, retryAfter: '1' });
    const error = await rejection(provider.stream(request, call));
    expect(error).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 1000 });
  });

  it('times out when headers do not arrive in time', async () => {
    upstream.setFault({ hangMs: 10_000 });
    const error = await rejection(provider.stream(request, { ...call, timeoutMs: 150 }));
    expect(error.kind).toBe('timeout');
  });

  it('times out when headers arrive but the first chunk does not', async () => {
    upstream.setFault({ hangAfterHeadersMs: 10_000 });
    const error = await rejection(provider.stream(request, { ...call, timeoutMs: 150 }));
    expect(error.kind).toBe('timeout');
  });

  it('rejects on a reset before the first byte', async () => {
    upstream.setFault({ reset: true });
    const error = await rejection(provider.stream(request, call));
    expect(error.kind).toBe('network');
  });

  it('rejects when the first event is an in-stream error', async () => {
    upstream.setFault({ errorEventAfterChunks: 0 });
    const error = await rejection(provider.stream(request, call));
    expect(error.kind).toBe('protocol');
  });

  it('resolves, then throws from the iterator, when the connection is cut midway', async () => {
    upstream.setFault({ cutAfterChunks: 2 });
    const stream = await provider.stream(request, call);
    const error = await rejection(collectChunks(stream));
    expect(error.kind).toBe('network');
  });

  it('throws from the iterator when the stream ends without [DONE]', async () => {
    upstream.setFault({ omitEnd: true });
    const stream = await provider.stream(request, call);
    const error = await rejection(collectChunks(stream));
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('[DONE]');
  });

  it('stops cleanly when the caller cancels midway', async () => {
    const stream = await provider.stream(request, call);
    const seen: unknown[] = [];
    for await (const chunk of stream.chunks) {
      seen.push(chunk);
      stream.cancel();
      break;
    }
    expect(seen).toHaveLength(1);
    await expect(provider.complete(request, call)).resolves.toMatchObject({ usage: { inputTokens: 10 } });
  });
});

/** undici's pool may alternate between two sockets while one drains; a client without keep-alive would use one per call. */
function connectionsUsed(): number {
  return new Set(upstream.requests.map((r) => r.remotePort)).size;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
