import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { CacheAction } from '../../shared/decision.js';
import { EmbeddingsRequestSchema, type EmbeddingsRequest } from '../../shared/embeddings-api.js';
import type { CacheInput } from '../cache/cache-key.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import type { CallerContext } from '../facts/request-facts.js';
import { callTargets, RouteFailedError, type ResolvedTarget } from '../providers/call-route.js';
import { ProviderError, type Provider, type Usage } from '../providers/provider.js';
import type { ActionPlan } from '../runtime/action-plan.js';
import { admitRequest } from '../runtime/admit-request.js';
import { bookExchange } from '../runtime/book-exchange.js';
import type { ChatDeps } from '../runtime/chat-deps.js';
import { costOf } from '../runtime/chat-outcome.js';
import { decisionHeaders } from '../runtime/decision-headers.js';
import type { Exchange, Served } from '../runtime/exchange.js';
import { sendJson } from '../runtime/json-response.js';
import { refuse } from '../runtime/refuse.js';
import { failureFromRoute } from '../runtime/route-failure.js';
import { embeddingFacts, embeddingsAsChat } from './embedding-facts.js';

export interface EmbeddingsCall {
  body: unknown;
  policyHeader: string | undefined;
  deferHeader?: string | undefined;
  caller(): CallerContext;
  res: ServerResponse;
}

/**
 * POST /v1/embeddings: the policy decides the call as it decides a chat (its facts are the
 * inputs' tokens, no output), and its gates apply: budgets hold and book the embedding's cost,
 * rate limits count it, a block refuses it, a Cache node answers a repeat (exact match only: a
 * vector for a similar text is not the text's vector). The model is always the one asked for, on
 * its provider, with the first route's timeout and retries: a route names a chat model, which
 * cannot embed. Trims, prompt caching, the batch lane and answer checks are chat's and do not apply.
 */
export async function handleEmbeddings(deps: ChatDeps, call: EmbeddingsCall): Promise<void> {
  const { res } = call;
  const started = performance.now();
  const request = parseBody(EmbeddingsRequestSchema, call.body, { surface: 'v1' });
  if (call.deferHeader?.trim()) {
    throw new HttpError({ status: 400, message: 'x-tollgate-defer is not served on /v1/embeddings: embeddings are answered at once', field: 'x-tollgate-defer', code: 'invalid_header' });
  }
  const policy = deps.policyFor(call.policyHeader);
  const caller = call.caller();
  const now = Date.now();
  const asChat = embeddingsAsChat(request);
  const facts = embeddingFacts(request, { caller, pricing: deps.pricing, now: new Date(now) });
  const admitted = await admitRequest(deps, { policy, request: asChat, facts, caller, now, reshape: (plan) => servingAsked(plan, asChat) });
  const { rule, plan, reservation } = admitted;
  const exchange: Exchange = { id: randomUUID(), started, policy, rule, request: asChat, facts, plan, reservation, router: null, api: 'embeddings' };
  if (reservation) res.once('close', () => exchange.reservation?.release());
  const answer = { deps, res, exchange };

  const { finish } = plan;
  if (finish.refusal && !finish.cacheOnly) return refuse(answer, finish.refusal);
  const cacheAction = exactOnly(plan.cache ?? finish.cacheOnly);
  const cacheInput = embeddingCacheInput(request, plan.tags);
  const cache = cacheAction ? 'miss' : 'bypass';
  if (cacheAction) {
    const hit = await deps.cache.lookup(cacheAction, cacheInput, exchange.id);
    if (hit) {
      const usage = hit.usage ?? countedUsage(facts.promptTokens);
      const cost = costOf({ usage, servedModel: hit.model, requestedModel: request.model, cacheHit: true, pricing: deps.pricing });
      const served: Served = { model: hit.model, provider: 'cache', attempts: 0, cache: 'hit' };
      bookExchange(deps.book, { exchange, outcome: { status: 200, served, usage, cache: 'hit', attempts: 0, cost } }, () =>
        sendJson(res, { status: 200, body: hit.body, headers: decisionHeaders(exchange, { model: hit.model, provider: 'cache', cache: 'hit', costUsd: 0 }) }),
      );
      return;
    }
  }
  if (finish.refusal) return refuse(answer, finish.refusal);

  const targets: ResolvedTarget[] = finish.targets.map((t) => ({ ...t, provider: deps.providers.resolve(t.model, t.provider, deps.pricing) }));
  let result;
  try {
    result = await callTargets(targets, (provider, options) => embedWith(provider)(request, options), {});
  } catch (error) {
    if (!(error instanceof RouteFailedError)) throw error;
    for (const a of error.attempts) deps.health.record(a, a.ok);
    const failure = failureFromRoute(error);
    bookExchange(deps.book, { exchange, outcome: { status: failure.status, served: null, usage: null, cache, attempts: error.attempts.length, error: failure.message } }, () =>
      sendJson(res, { status: failure.status, body: failure.body, headers: decisionHeaders(exchange, { model: null, cache, costUsd: 0 }) }),
    );
    return;
  }
  for (const a of result.attempts) deps.health.record(a, a.ok);
  const { body, raw } = result.value;
  const usage = result.value.usage ?? countedUsage(facts.promptTokens);
  const servedModel = result.target.model;
  const served: Served = { model: servedModel, provider: result.target.provider.name, attempts: result.attempts.length, cache };
  const cost = costOf({ usage, servedModel, requestedModel: request.model, cacheHit: false, pricing: deps.pricing });
  bookExchange(deps.book, { exchange, outcome: { status: 200, served, usage, cache, attempts: served.attempts, cost } }, () =>
    sendJson(res, {
      status: 200,
      body,
      ...(raw ? { raw } : {}),
      headers: decisionHeaders(exchange, { model: servedModel, provider: served.provider, cache, costUsd: cost.costUsd }),
    }),
  );
  if (cacheAction) deps.cache.store(cacheAction, cacheInput, { body, usage, model: servedModel });
}

/**
 * The plan an embeddings call carries out: the model asked for on its own provider (the pricing
 * table's), with the first route's timeout and retries; nothing of chat's reshaping.
 */
function servingAsked(plan: ActionPlan, asChat: ChatCompletionRequest): ActionPlan {
  const first = plan.finish.targets[0];
  const targets = first ? [{ ...first, model: asChat.model, provider: 'auto' as const }] : [];
  return { ...plan, request: asChat, trim: null, promptCache: null, batch: null, checkAnswer: null, finish: { ...plan.finish, targets } };
}

/** A similar text's vector is not this text's: a semantic Cache node matches embeddings exactly. */
function exactOnly(action: CacheAction | null): CacheAction | null {
  return action && action.mode !== 'exact' ? { ...action, mode: 'exact' } : action;
}

/**
 * The cache key of an embeddings call: its model, inputs and encoding settings, under no messages
 * (which no chat completion has), so an embedding and a chat answer never share a key.
 */
function embeddingCacheInput(request: EmbeddingsRequest, tags: Record<string, string>): CacheInput {
  const { model, user: _user, ...params } = request;
  return { request: { model, messages: [], embeddings: params }, model, tags };
}

function embedWith(provider: Provider): NonNullable<Provider['embed']> {
  if (provider.embed) return provider.embed.bind(provider);
  return () =>
    Promise.reject(
      new ProviderError(`${provider.name} has no embeddings API: ask for an embedding model of an OpenAI-compatible provider`, 'http', 400, null, {
        error: { message: `${provider.name} has no embeddings API: ask for an embedding model of an OpenAI-compatible provider`, type: 'invalid_request_error', param: 'model', code: 'embeddings_not_served' },
      }),
    );
}

function countedUsage(promptTokens: number): Usage {
  return { inputTokens: promptTokens, outputTokens: 0, cachedInputTokens: 0 };
}
