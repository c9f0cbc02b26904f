/**
 * A fake Anthropic Messages API for HTTP tests: `POST /v1/messages`, JSON or the event stream
 * (`message_start`, `ping`, content blocks with text_delta / input_json_delta, `message_delta`,
 * `message_stop`), with Anthropic's error shape `{type:'error', error:{type, message}}`. A real
 * node:http server on 127.0.0.1, port 0; its `url` has no /v1 (ANTHROPIC_BASE_URL style).
 *
 *   const upstream = await startAnthropicUpstream({ apiKey: 'test-key' });
 *   upstream.setFault({ status: 529, times: 1 });   // faults: see loopback-upstream.ts
 *   await upstream.close();
 *
 * Answers are deterministic: by default `echo <model>: <last user text>`, stop_reason end_turn.
 * Usage by default: input_tokens = 10 per message, output_tokens = words in the answer,
 * cache_read_input_tokens = options.cacheReadTokens (0). `respond` scripts answers and tool uses.
 * With `promptCache`, usage comes from a simulated prompt cache that honours `cache_control`
 * breakpoints (prompt-cache-sim.ts): a marked prefix over `minTokens` is written the first time
 * (cache_creation_input_tokens) and read after (cache_read_input_tokens); input_tokens is the rest.
 */
import type { ServerResponse } from 'node:http';
import type { Exchange, UpstreamServer } from './loopback-upstream.js';
import { SseWriter, sendAnswer, sendJson, startLoopbackUpstream } from './loopback-upstream.js';
import { PromptCacheSim, withoutCacheControl } from './prompt-cache-sim.js';

export type { RecordedRequest, UpstreamFault, UpstreamServer } from './loopback-upstream.js';

export interface AnthropicFakeAnswer {
  text?: string;
  toolUses?: { id: string; name: string; input: Record<string, unknown> }[];
  stopReason?: string;
  usage?: { input_tokens: number; output_tokens: number; cache_read_input_tokens?: number; cache_creation_input_tokens?: number };
}

export interface AnthropicUpstreamOptions {
  /** When set, requests without `x-api-key: <apiKey>` get a 401 authentication_error. */
  apiKey?: string;
  cacheReadTokens?: number;
  promptCache?: { minTokens: number };
  respond?: (body: Record<string, unknown>) => AnthropicFakeAnswer;
}

type Json = Record<string, unknown>;

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export function startAnthropicUpstream(options: AnthropicUpstreamOptions = {}): Promise<UpstreamServer> {
  const cache = options.promptCache ? new PromptCacheSim({ minTokens: options.promptCache.minTokens, chargeWrites: true }) : null;
  return startLoopbackUpstream((exchange) => handle(exchange, options, cache), '');
}

async function handle(exchange: Exchange, options: AnthropicUpstreamOptions, cache: PromptCacheSim | null): Promise<void> {
  const { request, res, fault } = exchange;
  if (options.apiKey && request.headers['x-api-key'] !== options.apiKey) return sendError(res, 401, 'invalid x-api-key');
  if (fault?.status) {
    return sendError(res, fault.status, fault.message ?? `injected failure ${fault.status}`, fault.retryAfter ? { 'retry-after': fault.retryAfter } : {});
  }
  if (request.method !== 'POST' || request.path !== '/v1/messages') return sendError(res, 404, `Not found: ${request.method} ${request.path}`);
  if (!request.headers['anthropic-version']) return sendError(res, 400, 'anthropic-version: header is required');
  const body = (request.body ?? {}) as Json;
  if (typeof body.model !== 'string' || !Array.isArray(body.messages) || typeof body.max_tokens !== 'number') {
    return sendError(res, 400, 'model, messages and max_tokens are required');
  }
  const answer = resolveAnswer(body, options, cache);
  if (body.stream === true) return streamAnswer(exchange, body.model, answer);
  sendAnswer(res, messageBody(body.model, answer), fault);
}

type Resolved = Required<Omit<AnthropicFakeAnswer, 'usage'>> & { usage: Required<NonNullable<AnthropicFakeAnswer['usage']>> };

function resolveAnswer(body: Json, options: AnthropicUpstreamOptions, cache: PromptCacheSim | null): Resolved {
  const scripted = options.respond?.(body) ?? {};
  const cached = cache ? cache.lookup(...promptSegments(body)) : null;
  const text = scripted.text ?? `echo ${String(body.model)}: ${lastUserText(body)}`;
  const toolUses = scripted.toolUses ?? [];
  return {
    text,
    toolUses,
    stopReason: scripted.stopReason ?? (toolUses.length > 0 ? 'tool_use' : 'end_turn'),
    usage: {
      input_tokens: scripted.usage?.input_tokens ?? (cached ? cached.total - cached.read - cached.written : 10 * (body.messages as unknown[]).length),
      output_tokens: scripted.usage?.output_tokens ?? text.split(/\s+/).filter(Boolean).length,
      cache_read_input_tokens: scripted.usage?.cache_read_input_tokens ?? cached?.read ?? options.cacheReadTokens ?? 0,
      cache_creation_input_tokens: scripted.usage?.cache_creation_input_tokens ?? cached?.written ?? 0,
    },
  };
}

/** Tools, then system blocks, then each message block, in Anthropic's prefix order; breakpoints where `cache_control` is set. */
function promptSegments(body: Json): [unknown[], number[]] {
  const segments: unknown[] = [];
  const breakpoints: number[] = [];
  const add = (block: unknown, role?: unknown) => {
    if (typeof block === 'object' && block !== null && 'cache_control' in block) breakpoints.push(segments.length);
    segments.push(role === undefined ? withoutCacheControl(block) : { role, block: withoutCacheControl(block) });
  };
  for (const tool of Array.isArray(body.tools) ? body.tools : []) add(tool);
  if (typeof body.system === 'string') add({ type: 'text', text: body.system });
  else for (const block of Array.isArray(body.system) ? body.system : []) add(block);
  for (const message of body.messages as { role?: unknown; content?: unknown }[]) {
    const blocks = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : Array.isArray(message.content) ? message.content : [];
    for (const block of blocks) add(block, message.role);
  }
  return [segments, breakpoints];
}

function lastUserText(body: Json): string {
  const messages = body.messages as { role?: string; content?: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  if (typeof last?.content === 'string') return last.content;
  if (Array.isArray(last?.content)) return last.content.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('');
  return '';
}

function contentBlocks(answer: Resolved): Json[] {
  const blocks: Json[] = answer.text ? [{ type: 'text', text: answer.text }] : [];
  for (const use of answer.toolUses) blocks.push({ type: 'tool_use', id: use.id, name: use.name, input: use.input });
  return blocks;
}

function messageBody(model: string, answer: Resolved): Json {
  return {
    id: 'msg_fake',
    type: 'message',
    role: 'assistant',
    model,
    content: contentBlocks(answer),
    stop_reason: answer.stopReason,
    stop_sequence: null,
    usage: answer.usage,
  };
}

async function streamAnswer(exchange: Exchange, model: string, answer: Resolved): Promise<void> {
  const writer = new SseWriter(exchange, event('error', { type: 'error', error: { type: 'overloaded_error', message: exchange.fault?.message ?? 'Overloaded' } }));
  if (!(await writer.open())) return;
  const { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens } = answer.usage;
  const frames = [
    event('message_start', {
      type: 'message_start',
      message: { id: 'msg_fake', type: 'message', role: 'assistant', model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens, cache_read_input_tokens, cache_creation_input_tokens, output_tokens: 1 } },
    }),
    event('ping', { type: 'ping' }),
  ];
  contentBlocks(answer).forEach((block, index) => {
    if (block.type === 'text') {
      frames.push(event('content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }));
      for (const word of String(block.text).match(/\S+\s*/g) ?? []) {
        frames.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: word } }));
      }
    } else {
      frames.push(event('content_block_start', { type: 'content_block_start', index, content_block: { ...block, input: {} } }));
      const json = JSON.stringify(block.input);
      const half = Math.ceil(json.length / 2);
      for (const piece of [json.slice(0, half), json.slice(half)]) {
        frames.push(event('content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: piece } }));
      }
    }
    frames.push(event('content_block_stop', { type: 'content_block_stop', index }));
  });
  frames.push(event('message_delta', { type: 'message_delta', delta: { stop_reason: answer.stopReason, stop_sequence: null }, usage: { output_tokens } }));
  for (const frame of frames) if (!(await writer.send(frame))) return;
  writer.end(event('message_stop', { type: 'message_stop' }));
}

function event(name: string, payload: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { type: 'error', error: { type: ERROR_TYPES[status] ?? 'api_error', message } }, headers);
}
