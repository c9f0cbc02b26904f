import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { CacheAction } from '../../shared/decision.js';
import { EmbeddingsRequestSchema } from '../../shared/embeddings-api.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import type { CallerContext } from '../facts/request-facts.js';
import { callTargets, RouteFailedError, type ResolvedTarget } from '../providers/call-route.js';
import { ProviderError, type Provider, type Usage } from '../providers/provider.js';
import type { ActionPlan } from '../runtime/action-plan.js';
import { admitRequest } from '../runtime/admit-request.js';
import { bookExchange } from '../runtime/book-exchange.js';
import type { ChatDeps } from '../runtime/chat-deps.js';
import { costOf, type Costing } from '../runtime/chat-outcome.js';
import { roundUsd } from '../../shared/cost.js';
import { decisionHeaders } from '../runtime/decision-headers.js';
import type { Exchange, Served } from '../runtime/exchange.js';
import { sendJson } from '../runtime/json-response.js';
import { refuse } from '../runtime/refuse.js';
import { failureFromRoute } from '../runtime/route-failure.js';
import { embeddingFacts, embeddingsAsChat, embeddingTexts, embeddingTokens } from './embedding-facts.js';
import { cachedInputs, mergedAnswer, missingRequest, storeInputs } from './embedding-cache.js';

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
 * rate limits count it, a block refuses it, a Cache node answers each input it has seen (exact
 * match only: a vector for a similar text is not the text's vector) and the provider is asked for
 * the rest. The model is always the one asked for, on its provider, with the first route's
 * timeout and retries: a route names a chat model, which cannot embed. Trims, prompt caching, the
 * batch lane and answer checks are chat's and do not apply.
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
  const counting = deps.tokens.precount(embeddingTexts(request));
  if (counting) await counting;
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
  const hits = cacheAction ? await cachedInputs(deps.cache, cacheAction, request, plan.tags) : [];
  const hitCount = hits.filter(Boolean).length;
  const cache = !cacheAction ? 'bypass' : hitCount === hits.length ? 'hit' : 'miss';
  const cacheHeaders: Record<string, string> = cacheAction ? { 'x-tollgate-cache-hits': `${hitCount}/${hits.length}` } : {};
  if (cache === 'hit') {
    const { body, hitTokens } = mergedAnswer({ hits, body: null, model: request.model });
    const usage = countedUsage(hitTokens);
    const cost = costOf({ usage, servedModel: request.model, requestedModel: request.model, cacheHit: true, pricing: deps.pricing });
    const served: Served = { model: request.model, provider: 'cache', attempts: 0, cache: 'hit' };
    bookExchange(deps.book, { exchange, outcome: { status: 200, served, usage, cache: 'hit', attempts: 0, cost } }, () =>
      sendJson(res, { status: 200, body, headers: { ...decisionHeaders(exchange, { model: request.model, provider: 'cache', cache: 'hit', costUsd: 0 }), ...cacheHeaders } }),
    );
    return;
  }
  if (finish.refusal) return refuse(answer, finish.refusal);

  // Only the inputs the cache did not have are asked for.
  const asked = hitCount > 0 ? missingRequest(request, hits) : request;
  const targets: ResolvedTarget[] = finish.targets.map((t) => ({ ...t, provider: deps.providers.resolve(t.model, t.provider, deps.pricing) }));
  let result;
  try {
    result = await callTargets(targets, (provider, options) => embedWith(provider)(asked, options), {});
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
  const servedModel = result.target.model;
  const usage = result.value.usage ?? countedUsage(embeddingTokens(asked));
  const merged = hitCount > 0 ? mergedAnswer({ hits, body: result.value.body, model: servedModel }) : null;
  const served: Served = { model: servedModel, provider: result.target.provider.name, attempts: result.attempts.length, cache };
  const cost = withSaving(costOf({ usage, servedModel, requestedModel: request.model, cacheHit: false, pricing: deps.pricing }), merged ? costOf({ usage: countedUsage(merged.hitTokens), servedModel, requestedModel: request.model, cacheHit: true, pricing: deps.pricing }).savedUsd : 0);
  bookExchange(deps.book, { exchange, outcome: { status: 200, served, usage, cache, attempts: served.attempts, cost } }, () =>
    sendJson(res, {
      status: 200,
      body: merged?.body ?? result.value.body,
      // The provider's own bytes, when they are the whole answer.
      ...(!merged && result.value.raw ? { raw: result.value.raw } : {}),
      headers: { ...decisionHeaders(exchange, { model: servedModel, provider: served.provider, cache, costUsd: cost.costUsd }), ...cacheHeaders },
    }),
  );
  if (cacheAction) storeInputs(deps.cache, cacheAction, { request, hits, body: result.value.body, usage, model: servedModel, tags: plan.tags });
}

/** What the cached inputs of a partly cached call would have cost is saved, besides any routing saving. */
function withSaving(cost: Costing, cachedUsd: number): Costing {
  return cachedUsd > 0 ? { ...cost, savedUsd: roundUsd(cost.savedUsd + cachedUsd) } : cost;
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

function embedWith(provider: Provider): NonNullable<Provider['embed']> {
  if (provider.embed) return provider.embed.bind(provider);
  const message = `${provider.name} has no embeddings API: ask for an embedding model of an OpenAI-compatible provider`;
  const error = new ProviderError(message, 'http', 400, null, { error: { message, type: 'invalid_request_error', param: 'model', code: 'embeddings_not_served' } });
  return () => Promise.reject(error);
}

function countedUsage(promptTokens: number): Usage {
  return { inputTokens: promptTokens, outputTokens: 0, cachedInputTokens: 0 };
}
