/**
 * A fake Google Gemini API for HTTP tests: `POST /v1beta/models/<model>:generateContent` (JSON),
 * `:batchEmbedContents` (see embeddingsBody)
 * and `:streamGenerateContent?alt=sse` (one GenerateContentResponse per `data:` event, no end
 * marker), with Google's error shape `{error:{code, message, status}}`. A real node:http server on
 * 127.0.0.1, port 0; its `url` has no /v1beta (GEMINI_BASE_URL style). Faults: see loopback-upstream.ts.
 *
 * Answers are deterministic: `echo <model>: <last user text>`, finishReason STOP. Usage:
 * promptTokenCount = 10 per content, candidatesTokenCount = words in the answer,
 * cachedContentTokenCount = options.cachedTokens (0). `respond` scripts answers and function calls.
 */
import type { ServerResponse } from 'node:http';
import type { Exchange, UpstreamServer } from './loopback-upstream.js';
import { SseWriter, sendAnswer, sendJson, startLoopbackUpstream } from './loopback-upstream.js';

export type { UpstreamServer } from './loopback-upstream.js';

export interface GeminiFakeAnswer {
  text?: string;
  functionCalls?: { name: string; args: Record<string, unknown> }[];
  finishReason?: string;
}

export interface GeminiUpstreamOptions {
  /** When set, requests without `x-goog-api-key: <apiKey>` get a 401 UNAUTHENTICATED. */
  apiKey?: string;
  cachedTokens?: number;
  respond?: (body: Record<string, unknown>) => GeminiFakeAnswer;
}

type Json = Record<string, unknown>;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const PATH = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)(\?alt=sse)?$/;

export function startGeminiUpstream(options: GeminiUpstreamOptions = {}): Promise<UpstreamServer> {
  return startLoopbackUpstream((exchange) => handle(exchange, options), '');
}

async function handle(exchange: Exchange, options: GeminiUpstreamOptions): Promise<void> {
  const { request, res, fault } = exchange;
  if (options.apiKey && request.headers['x-goog-api-key'] !== options.apiKey) return sendError(res, 401, 'API key not valid. Please pass a valid API key.');
  if (fault?.status) return sendError(res, fault.status, fault.message ?? `injected failure ${fault.status}`, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
  const match = request.method === 'POST' ? PATH.exec(request.path) : null;
  if (!match) return sendError(res, 404, `Not found: ${request.method} ${request.path}`);
  const model = decodeURIComponent(match[1]!);
  const body = (request.body ?? {}) as Json;
  if (match[2] === 'batchEmbedContents') return sendJson(res, 200, embeddingsBody(body));
  if (!Array.isArray(body.contents) || body.contents.length === 0) return sendError(res, 400, '* GenerateContentRequest.contents: contents is not specified');
  const answer = resolveAnswer(body, options);
  if (match[2] === 'streamGenerateContent') {
    if (!match[3]) return sendError(res, 400, 'this fake speaks SSE only: use ?alt=sse');
    return streamAnswer(exchange, model, answer);
  }
  sendAnswer(res, responseBody(model, answer.parts, answer.finishReason, answer.usage), fault);
}

interface Resolved {
  parts: Json[];
  finishReason: string;
  usage: Json;
}

function resolveAnswer(body: Json, options: GeminiUpstreamOptions): Resolved {
  const scripted = options.respond?.(body) ?? {};
  const text = scripted.text ?? `echo ${lastUserText(body)}`;
  const parts: Json[] = text ? [{ text }] : [];
  for (const call of scripted.functionCalls ?? []) parts.push({ functionCall: { name: call.name, args: call.args } });
  const cached = options.cachedTokens ?? 0;
  const prompt = 10 * (body.contents as unknown[]).length + cached;
  const output = text.split(/\s+/).filter(Boolean).length;
  return {
    parts,
    finishReason: scripted.finishReason ?? 'STOP',
    usage: { promptTokenCount: prompt, candidatesTokenCount: output, totalTokenCount: prompt + output, ...(cached ? { cachedContentTokenCount: cached } : {}) },
  };
}

function lastUserText(body: Json): string {
  const contents = body.contents as { role?: string; parts?: { text?: unknown }[] }[];
  const last = [...contents].reverse().find((c) => c.role === 'user');
  return (last?.parts ?? []).map((p) => (typeof p.text === 'string' ? p.text : '')).join('');
}

function responseBody(model: string, parts: Json[], finishReason: string | undefined, usage: Json | undefined): Json {
  return {
    candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}), index: 0 }],
    ...(usage ? { usageMetadata: usage } : {}),
    modelVersion: model,
    responseId: 'gem_fake',
  };
}

async function streamAnswer(exchange: Exchange, model: string, answer: Resolved): Promise<void> {
  const writer = new SseWriter(exchange, event({ error: { code: 503, message: exchange.fault?.message ?? 'The model is overloaded.', status: 'UNAVAILABLE' } }));
  if (!(await writer.open())) return;
  const frames: string[] = [];
  for (const part of answer.parts) {
    if (typeof part.text === 'string') {
      for (const word of part.text.match(/\S+\s*/g) ?? []) frames.push(event(responseBody(model, [{ text: word }], undefined, undefined)));
    } else frames.push(event(responseBody(model, [part], undefined, undefined)));
  }
  for (const frame of frames) if (!(await writer.send(frame))) return;
  // Gemini has no end marker: the last event carries the finish reason and the usage; `omitEnd` leaves it out.
  writer.end(event(responseBody(model, [], answer.finishReason, answer.usage)));
}

/** Each text's values are [its index, its length in characters, then 1s], outputDimensionality long (3 unless told). */
function embeddingsBody(body: Json): Json {
  const requests = (Array.isArray(body.requests) ? body.requests : []) as { content?: { parts?: { text?: string }[] }; outputDimensionality?: number }[];
  return {
    embeddings: requests.map((r, index) => {
      const text = r.content?.parts?.map((p) => p.text ?? '').join('') ?? '';
      return { values: Array.from({ length: r.outputDimensionality ?? 3 }, (_, i) => (i === 0 ? index : i === 1 ? text.length : 1)) };
    }),
  };
}

function event(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\r\n\r\n`;
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { error: { code: status, message, status: STATUS_NAMES[status] ?? 'UNKNOWN' } }, headers);
}
