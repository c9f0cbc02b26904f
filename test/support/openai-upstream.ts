/**
 * A fake OpenAI-compatible server for HTTP tests: `POST /v1/embeddings` (see embeddingsBody), `POST /v1/chat/completions` (JSON, or SSE when
 * `stream: true`, with a final usage chunk when `stream_options.include_usage` is set, then
 * `data: [DONE]`) and `GET /v1/models`. A real node:http server on 127.0.0.1, port 0.
 *
 *   const upstream = await startOpenAIUpstream();
 *   // point a provider (or OPENAI_BASE_URL) at upstream.url, which ends in /v1
 *   upstream.setFault({ status: 503, times: 1 });   // faults: see loopback-upstream.ts
 *   expect(upstream.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
 *   await upstream.close();
 *
 * Answers are deterministic: by default `echo <model>: <last user text>`; the stream sends a role
 * chunk, one chunk per word, a finish chunk, the usage chunk. Usage by default:
 * prompt_tokens = 10 per message, completion_tokens = words in the answer, cached_tokens =
 * options.cachedTokens (0). Pass `respond` to script answers, including tool calls.
 * With `prefixCache`, usage comes from a simulated automatic prompt cache instead: prompt_tokens
 * = JSON chars / 4 of tools and messages, cached_tokens = the longest prefix seen before (from
 * `minTokens`, in 128-token steps), as OpenAI reports it (prompt-cache-sim.ts).
 */
import type { ServerResponse } from 'node:http';
import type { Exchange, UpstreamServer } from './loopback-upstream.js';
import { SseWriter, sendAnswer, sendJson, startLoopbackUpstream } from './loopback-upstream.js';
import { PromptCacheSim } from './prompt-cache-sim.js';

export type { RecordedRequest, UpstreamFault, UpstreamServer } from './loopback-upstream.js';

export interface OpenAIFakeAnswer {
  content?: string | null;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number; cached_tokens?: number };
}

export interface OpenAIUpstreamOptions {
  /** When set, requests without `Authorization: Bearer <apiKey>` get a 401. */
  apiKey?: string;
  /** Listed by GET /v1/models. */
  models?: string[];
  cachedTokens?: number;
  prefixCache?: { minTokens: number };
  respond?: (body: Record<string, unknown>) => OpenAIFakeAnswer;
}

type Json = Record<string, unknown>;

export function startOpenAIUpstream(options: OpenAIUpstreamOptions = {}): Promise<UpstreamServer> {
  const cache = options.prefixCache ? new PromptCacheSim({ minTokens: options.prefixCache.minTokens, chargeWrites: false, increment: 128 }) : null;
  return startLoopbackUpstream((exchange) => handle(exchange, options, cache), '/v1');
}

async function handle(exchange: Exchange, options: OpenAIUpstreamOptions, cache: PromptCacheSim | null): Promise<void> {
  const { request, res, fault } = exchange;
  if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
    return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  }
  if (fault?.status) {
    const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
    return sendError(res, fault.status, fault.message ?? `injected failure ${fault.status}`, errorType(fault.status), null, headers);
  }
  if (request.method === 'GET' && request.path === '/v1/models') {
    const data = (options.models ?? ['gpt-4o-mini', 'gpt-4o']).map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'fake' }));
    return sendJson(res, 200, { object: 'list', data });
  }
  if (request.method === 'POST' && request.path === '/v1/embeddings') return sendJson(res, 200, embeddingsBody((request.body ?? {}) as Json));
  if (request.method !== 'POST' || request.path !== '/v1/chat/completions') {
    return sendError(res, 404, `Unknown request URL: ${request.method} ${request.path}`, 'invalid_request_error', 'unknown_url');
  }
  const body = (request.body ?? {}) as Json;
  if (typeof body.model !== 'string' || !Array.isArray(body.messages)) {
    return sendError(res, 400, "'model' and 'messages' are required", 'invalid_request_error', null);
  }
  const answer = resolveAnswer(body, options, cache);
  if (body.stream === true) return streamAnswer(exchange, body, answer);
  sendAnswer(res, completionBody(body.model, answer), fault);
}

function resolveAnswer(
  body: Json,
  options: OpenAIUpstreamOptions,
  cache: PromptCacheSim | null,
): Required<Omit<OpenAIFakeAnswer, 'usage'>> & { usage: Required<NonNullable<OpenAIFakeAnswer['usage']>> } {
  const scripted = options.respond?.(body) ?? {};
  const segments = [...(Array.isArray(body.tools) ? [body.tools] : []), ...(body.messages as unknown[])];
  const cached = cache?.lookup(segments, segments.map((_, i) => i));
  const content = scripted.content === undefined ? `echo ${String(body.model)}: ${lastUserText(body)}` : scripted.content;
  const toolCalls = scripted.toolCalls ?? [];
  const words = content ? content.split(/\s+/).filter(Boolean).length : 0;
  return {
    content,
    toolCalls,
    finishReason: scripted.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      prompt_tokens: scripted.usage?.prompt_tokens ?? cached?.total ?? 10 * (body.messages as unknown[]).length,
      completion_tokens: scripted.usage?.completion_tokens ?? words,
      cached_tokens: scripted.usage?.cached_tokens ?? cached?.read ?? options.cachedTokens ?? 0,
    },
  };
}

function lastUserText(body: Json): string {
  const messages = body.messages as { role?: string; content?: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return last.content.map((p: { text?: unknown }) => (typeof p.text === 'string' ? p.text : '')).join('');
  return '';
}

function usageBody(usage: { prompt_tokens: number; completion_tokens: number; cached_tokens: number }): Json {
  return {
    prompt_tokens: usage.prompt_tokens,
    completion_tokens: usage.completion_tokens,
    total_tokens: usage.prompt_tokens + usage.completion_tokens,
    prompt_tokens_details: { cached_tokens: usage.cached_tokens },
  };
}

function completionBody(model: string, answer: ReturnType<typeof resolveAnswer>): Json {
  const toolCalls = answer.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: answer.content, refusal: null, ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}) },
        logprobs: null,
        finish_reason: answer.finishReason,
      },
    ],
    usage: usageBody(answer.usage),
  };
}

async function streamAnswer(exchange: Exchange, body: Json, answer: ReturnType<typeof resolveAnswer>): Promise<void> {
  const errorFrame = data({ error: { message: exchange.fault?.message ?? 'injected stream error', type: 'server_error', param: null, code: null } });
  const writer = new SseWriter(exchange, errorFrame);
  if (!(await writer.open())) return;
  const head = { id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 1_700_000_000, model: body.model };
  const chunk = (delta: Json, finish: string | null = null): string => data({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] });
  const frames = [chunk({ role: 'assistant', content: '' })];
  for (const word of (answer.content ?? '').match(/\S+\s*/g) ?? []) frames.push(chunk({ content: word }));
  answer.toolCalls.forEach((call, index) => {
    frames.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }));
    const half = Math.ceil(call.arguments.length / 2);
    for (const piece of [call.arguments.slice(0, half), call.arguments.slice(half)]) {
      if (piece) frames.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(chunk({}, answer.finishReason));
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (options?.include_usage) frames.push(data({ ...head, choices: [], usage: usageBody(answer.usage) }));
  for (const frame of frames) if (!(await writer.send(frame))) return;
  writer.end('data: [DONE]\n\n');
}

function data(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

/**
 * Embeddings: each input's vector is [its index, its length in characters, then 1s] at the size
 * asked (3 unless told), base64 float32 when asked; usage counts 7 tokens an input.
 */
function embeddingsBody(body: Json): Json {
  const inputs = typeof body.input === 'string' ? [body.input] : Array.isArray(body.input) && body.input.every((i) => typeof i === 'number') ? [body.input] : ((body.input ?? []) as unknown[]);
  const dims = typeof body.dimensions === 'number' ? body.dimensions : 3;
  const data = inputs.map((input, index) => {
    const vector = Float32Array.from({ length: dims }, (_, i) => (i === 0 ? index : i === 1 ? String(input).length : 1));
    const embedding = body.encoding_format === 'base64' ? Buffer.from(vector.buffer).toString('base64') : Array.from(vector);
    return { object: 'embedding', index, embedding };
  });
  return { object: 'list', data, model: body.model, usage: { prompt_tokens: 7 * inputs.length, total_tokens: 7 * inputs.length } };
}

function errorType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

function sendError(res: ServerResponse, status: number, message: string, type: string, code: string | null, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { message, type, param: null, code } }, headers);
}
