import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { DEFAULT_EXPECTED_OUTPUT_TOKENS } from '../facts/request-facts.js';
import { countPromptTokens, countTextTokens } from '../facts/tokens.js';
import type { CachedAnswer } from '../cache/response-cache.js';
import { completionToChunks } from '../providers/openai-sse.js';
import type { Completion, CompletionStream, Usage } from '../providers/provider.js';
import { ProviderError } from '../providers/provider.js';
import { onceKept, type AnswerWire, type StreamWriter } from './answer-wire.js';
import { StreamAssembler } from './assemble-stream.js';
import { bookExchange } from './book-exchange.js';
import type { AnswerDeps } from './chat-deps.js';
import { costOf, type Costing } from './chat-outcome.js';
import { decisionHeaders } from './decision-headers.js';
import type { Exchange, Served } from './exchange.js';
import { sendJson } from './json-response.js';

export type Store = ((body: Record<string, unknown>, usage: Usage | null) => void) | null;

/** Where an answer goes, in which shape, and what it answers. */
export interface AnswerContext {
  deps: AnswerDeps;
  res: ServerResponse;
  wire: AnswerWire;
  exchange: Exchange;
}

/** The provider's usage, else tokens counted from the request and the answer. */
export function usageOrCount(usage: Usage | null, exchange: Exchange, text: string): Usage {
  return usage ?? { inputTokens: countPromptTokens(exchange.plan.request.messages), outputTokens: countTextTokens(text), cachedInputTokens: 0 };
}

/** A call paid for before the one that answers (a cheap answer that failed its check). */
export interface EarlierCall {
  cost: Costing;
  attempts: number;
}

export function sendCompletion(
  { deps, res, wire, exchange }: AnswerContext,
  answer: { served: Served; completion: Completion; store: Store; earlier?: EarlierCall | undefined },
): void {
  const { served, completion, store, earlier } = answer;
  const usage = usageOrCount(completion.usage, exchange, answerText(completion.body));
  const own = costOf({ usage, servedModel: served.model, requestedModel: exchange.request.model, cacheHit: false, pricing: deps.pricing });
  const cost = earlier ? plusEarlier(own, earlier.cost) : own;
  const headers = decisionHeaders(exchange, { model: served.model, provider: served.provider, cache: served.cache, costUsd: cost.costUsd });
  // The provider bills an answer its caller left before: booked at its cost, as a stream cut by its caller is.
  const gone = clientLeft(res);
  const status = gone ? 499 : 200;
  const left = gone ? { error: 'client closed the connection before the answer was sent' } : {};
  bookExchange(deps.book, { exchange, outcome: { status, served, usage, cache: served.cache, attempts: served.attempts + (earlier?.attempts ?? 0), cost, ...left } }, () => {
    if (gone) return;
    if (exchange.request.stream !== true) {
      const shaped = wire.whole(completion.body, { usage, requestId: exchange.id });
      onceKept(wire, () => sendJson(res, shaped ? { status: 200, body: shaped, headers } : { status: 200, body: completion.body, headers, raw: completion.raw }));
      return;
    }
    // A stream request answered by a whole completion (its answer was checked first).
    const writer = writeSse(res, wire.stream({ requestId: exchange.id, promptTokens: exchange.facts.promptTokens }), { headers, body: completion.body, includeUsage: exchange.request.stream_options?.include_usage === true });
    const end = writer.end({ usage, costUsd: cost.costUsd });
    onceKept(wire, () => res.end(end));
  });
  store?.(completion.body, completion.usage);
}

/** Whether the caller closed its connection before its answer was written (the socket is gone). */
export function clientLeft(res: ServerResponse): boolean {
  return res.destroyed && !res.writableFinished;
}

/** A whole completion as the chunks a stream of it would have sent (the usage chunk only when asked for), without the end. */
function writeSse(res: ServerResponse, writer: StreamWriter, o: { headers: Record<string, string>; body: Record<string, unknown>; includeUsage: boolean }): StreamWriter {
  res.writeHead(200, { ...o.headers, ...SSE_HEADERS });
  for (const chunk of completionToChunks(o.body)) {
    if (!o.includeUsage && isUsageOnly(chunk)) continue;
    const text = writer.chunk(chunk);
    if (text) res.write(text);
  }
  return writer;
}

/** Both calls are paid; what routing saved is measured against the requested model's price of the answer served, less the earlier call. */
function plusEarlier(own: Costing, earlier: Costing): Costing {
  return {
    costUsd: own.costUsd + earlier.costUsd,
    costMicros: own.costMicros + earlier.costMicros,
    savedUsd: own.savedUsd - earlier.costUsd,
    promptCacheSavedUsd: own.promptCacheSavedUsd + earlier.promptCacheSavedUsd,
  };
}

/** The answer text of a completion body (empty for tool calls). */
export function answerText(body: Record<string, unknown>): string {
  const message = (body.choices as { message?: { content?: unknown } }[] | undefined)?.[0]?.message;
  return typeof message?.content === 'string' ? message.content : '';
}

export function sendCached({ deps, res, wire, exchange }: AnswerContext, hit: CachedAnswer): void {
  const served: Served = { model: hit.model, provider: 'cache', attempts: 0, cache: 'hit' };
  const usage = hit.usage ?? usageOrCount(null, exchange, answerText(hit.body));
  const cost = costOf({ usage, servedModel: hit.model, requestedModel: exchange.request.model, cacheHit: true, pricing: deps.pricing });
  const headers = decisionHeaders(exchange, { model: hit.model, provider: 'cache', cache: 'hit', costUsd: 0 });
  bookExchange(deps.book, { exchange, outcome: { status: 200, served, usage, cache: 'hit', attempts: 0, cost } }, () => {
    if (exchange.request.stream !== true) {
      const body = wire.whole(hit.body, { usage, requestId: exchange.id }) ?? hit.body;
      onceKept(wire, () => sendJson(res, { status: 200, body, headers }));
      return;
    }
    const writer = writeSse(res, wire.stream({ requestId: exchange.id, promptTokens: exchange.facts.promptTokens }), { headers, body: hit.body, includeUsage: exchange.request.stream_options?.include_usage === true });
    const end = writer.end({ usage, costUsd: null });
    onceKept(wire, () => res.end(end));
  });
}

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' };

function isUsageOnly(chunk: Record<string, unknown>): boolean {
  return Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage != null;
}

/**
 * Passes chunks through as they arrive (no buffering of the answer), honouring backpressure.
 * Headers carry the estimated cost; the actual cost goes to the ledger and a final SSE comment.
 */
export async function sendStream({ deps, res, wire, exchange }: AnswerContext, answer: { served: Served; stream: CompletionStream; store: Store }): Promise<void> {
  const { served, stream, store } = answer;
  const { facts } = exchange;
  const price = deps.pricing.models[served.model];
  const expected = { inputTokens: facts.promptTokens, outputTokens: facts.maxTokens || DEFAULT_EXPECTED_OUTPUT_TOKENS, cachedInputTokens: 0 };
  const estimate = price
    ? costOf({ usage: expected, servedModel: served.model, requestedModel: exchange.request.model, cacheHit: false, pricing: deps.pricing }).costUsd
    : 0;
  const headers = decisionHeaders(exchange, { model: served.model, provider: served.provider, cache: served.cache, costUsd: estimate });
  res.writeHead(200, { ...headers, 'x-tollgate-cost-estimated': 'true', ...SSE_HEADERS });

  const includeUsage = exchange.request.stream_options?.include_usage === true;
  const writer = wire.stream({ requestId: exchange.id, promptTokens: exchange.facts.promptTokens });
  const assembler = new StreamAssembler();
  let clientGone = false;
  const onClose = () => {
    if (!res.writableFinished) {
      clientGone = true;
      stream.cancel();
    }
  };
  res.on('close', onClose);
  let failure: ProviderError | null = null;
  try {
    for await (const chunk of stream.chunks) {
      if (clientGone) break;
      assembler.add(chunk);
      if (!includeUsage && isUsageOnly(chunk)) continue;
      const text = writer.chunk(chunk);
      if (text && !res.write(text)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
  } catch (error) {
    failure = error instanceof ProviderError ? error : new ProviderError((error as Error).message, 'protocol');
  }
  res.off('close', onClose);
  const usage = usageOrCount(stream.usage(), exchange, assembler.content);
  const cost = costOf({ usage, servedModel: served.model, requestedModel: exchange.request.model, cacheHit: false, pricing: deps.pricing });
  const status = clientGone ? 499 : failure ? 502 : 200;
  const error = failure ? { error: failure.message } : clientGone ? { error: 'client closed the stream' } : {};
  bookExchange(deps.book, { exchange, outcome: { status, served, usage, cache: served.cache, attempts: served.attempts, cost, ...error } }, () => {
    if (clientGone) return;
    if (failure) {
      // Bytes are already out, so no fallback: tell the client in the stream, the way OpenAI does.
      res.write(writer.broke(failure.message));
      res.end();
      return;
    }
    const end = writer.end({ usage, costUsd: cost.costUsd });
    onceKept(wire, () => res.end(end));
  });
  const body = failure || clientGone ? null : assembler.completion(usage);
  if (body) store?.(body, usage);
}
