import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ChatCompletionRequestSchema } from '../../shared/api.js';
import type { BatchProvider } from '../batch/batch-job.js';
import { DEFER_HEADER, deferToBatch, wantsBatch } from '../batch/defer-chat.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import type { CallerContext } from '../facts/request-facts.js';
import { requestFacts } from '../facts/request-facts.js';
import { largePromptTexts } from '../facts/tokens.js';
import type { Reservation } from '../limits/budget-reservations.js';
import { callRoute, RouteFailedError, type ResolvedTarget } from '../providers/call-route.js';
import type { Usage } from '../providers/provider.js';
import { routerRefOf } from '../routing/router-decision.js';
import { admitRequest } from './admit-request.js';
import { refuse } from './refuse.js';
import { bookExchange } from './book-exchange.js';
import type { ActionPlan } from './action-plan.js';
import type { ChatDeps } from './chat-deps.js';
import { decisionHeaders } from './decision-headers.js';
import type { Exchange, Served } from './exchange.js';
import { sendJson } from './json-response.js';
import { failureFromRoute } from './route-failure.js';
import { promptCacheCall } from './prompt-cache-call.js';
import { asksForFormat } from '../routing/format-check.js';
import { answerCheckApplies, answerCheckVerdict, escalate, formatVerdict } from './answer-check-escalation.js';
import { costOf } from './chat-outcome.js';
import { CHAT_WIRE, type AnswerWire } from './answer-wire.js';
import { answerText, clientLeft, sendCached, sendCompletion, sendStream, usageOrCount, type AnswerContext } from './send-answer.js';

export type { Exchange } from './exchange.js';

/** One chat completion call as the HTTP layer hands it over. */
export interface ChatCall {
  body: unknown;
  /** The `x-tollgate-policy` header. */
  policyHeader: string | undefined;
  /** The `x-tollgate-defer` header. */
  deferHeader?: string | undefined;
  /** Reads the caller's headers; called after the body and policy are checked, so their errors come first. */
  caller(): CallerContext;
  res: ServerResponse;
  /** The shape answers go back in; chat completions unless the caller came through another surface. */
  wire?: AnswerWire;
}

/** POST /v1/chat/completions: facts, decision, actions, provider call, answer, ledger. */
export async function handleChat(deps: ChatDeps, call: ChatCall): Promise<void> {
  const { res } = call;
  const started = performance.now();
  const request = parseBody(ChatCompletionRequestSchema, call.body, { surface: 'v1' });
  const policy = deps.policyFor(call.policyHeader);
  const caller = call.caller();
  const counting = deps.tokens.precount(largePromptTexts(request.messages));
  if (counting) await counting;
  const now = Date.now();
  const facts = requestFacts(request, { caller, pricing: deps.pricing, now: new Date(now) });
  // A bad x-tollgate-defer is refused before anything is counted or held.
  wantsBatch(null, call.deferHeader);
  const wire = call.wire ?? CHAT_WIRE;
  if (!wire.deferrable && call.deferHeader?.trim()) {
    throw new HttpError({ status: 400, message: `${DEFER_HEADER} is not served here: this API has no deferred answers (use chat completions, or the Responses API's background)`, field: DEFER_HEADER, code: 'invalid_header' });
  }
  // A surface with no deferred answers is answered at once, even on a path whose Batch lane defers always.
  const deferTo = (plan: ActionPlan) => (wire.deferrable ? deferTarget(deps, plan, call.deferHeader) : null);
  const deferred = (plan: ActionPlan) => deferTo(plan) !== null;
  const admitted = await admitRequest(deps, { policy, request, facts, caller, now, deferred });
  const { rule, plan, reservation, admitWith } = admitted;
  const exchange: Exchange = { id: randomUUID(), started, policy, rule, request, facts, plan, reservation, router: routerRefOf({ ruleFile: policy.ruleFile, rule, facts }) };
  // Booking releases it; this catches every other way out (a throw, a dropped connection).
  // (read from the exchange: a deferred request hands its hold to the batch lane).
  if (reservation) res.once('close', () => exchange.reservation?.release());
  const answer: AnswerContext = { deps, res, wire, exchange };

  const { finish } = plan;
  if (finish.refusal && !finish.cacheOnly) return refuse(answer, finish.refusal);

  const { targets } = finish;
  const cacheModel = targets[0]?.model ?? request.model;
  const cacheAction = plan.cache ?? finish.cacheOnly;
  const cacheInput = { request: plan.request, model: cacheModel, tags: plan.tags };
  const cacheOutcome = cacheAction ? 'miss' : 'bypass';
  if (cacheAction) {
    const hit = await deps.cache.lookup(cacheAction, cacheInput, exchange.id);
    if (hit) return sendCached(answer, hit);
  }
  if (finish.refusal) return refuse(answer, finish.refusal);

  const target = deferTo(plan);
  if (target) return deferToBatch({ deps, res, exchange, target, action: plan.batch!, wire: answer.wire });

  const resolved = resolveTargets(deps, plan);
  // A stream whose answer is checked is fetched whole, checked, and only then sent as a stream.
  const checked = answerCheckApplies(plan.checkAnswer, facts, plan.request);
  // The schema worker loads while the cheap model answers, not after.
  if (checked && asksForFormat(plan.request)) deps.schemaCheck.warm();
  const stream = request.stream === true && !checked;
  let result;
  try {
    result = await callRoute(resolved, plan.request, { stream, ...(stream ? { signal: cancelOnClose(res) } : {}) });
  } catch (error) {
    if (!(error instanceof RouteFailedError)) throw error;
    for (const a of error.attempts) deps.health.record(a, a.ok);
    const failure = failureFromRoute(error);
    const outcome = { status: failure.status, served: null, usage: null, cache: cacheOutcome, attempts: error.attempts.length, error: failure.message } as const;
    bookExchange(deps.book, { exchange, outcome }, () =>
      sendJson(res, { status: failure.status, body: answer.wire.error(failure.status, failure.body), headers: decisionHeaders(exchange, { model: null, cache: cacheOutcome, costUsd: 0 }) }),
    );
    return;
  }
  for (const a of result.attempts) deps.health.record(a, a.ok);
  const served: Served = {
    model: result.target.model,
    provider: result.target.provider.name,
    attempts: result.attempts.length,
    cache: cacheOutcome,
  };
  const storeAs = (model: string) =>
    cacheAction ? (body: Record<string, unknown>, usage: Usage | null) => deps.cache.store(cacheAction, cacheInput, { body, usage, model }) : null;
  if (!result.completion) return sendStream(answer, { served, stream: result.stream!, store: storeAs(served.model) });

  // Feedback on answers that passed the check moves its threshold (the prompt threshold is not read for these).
  const cell = exchange.router;
  const shift = plan.checkAnswer && cell && deps.router ? deps.router.shiftOf({ point: cell.point, shape: cell.shape, taskType: cell.taskType, now }) : 0;
  const cheapText = answerText(result.completion.body);
  const verdict = (await formatVerdict(plan.checkAnswer, plan.request, result.completion.body, deps.schemaCheck.check)) ?? answerCheckVerdict(plan.checkAnswer, facts, cheapText, shift);
  exchange.answerCheck = verdict;
  // Nobody waits for a better answer once the caller has left: the strong call is not paid for.
  if (verdict?.escalated && clientLeft(res)) verdict.kept = 'the client closed the connection before the strong model was asked';
  else if (verdict?.escalated) {
    const escalation = await escalate({
      // The same request asked again: its rate limits were counted once, a deferral does not apply.
      admitWith,
      resolve: admitted.resolve,
      cheapRule: rule.name,
      targetsOf: (p) => resolveTargets(deps, p),
      recordAttempts: (attempts) => {
        for (const a of attempts) deps.health.record(a, a.ok);
      },
    });
    if (escalation.ok) {
      const cheapUsage = usageOrCount(result.completion.usage, exchange, cheapText);
      const cheapCost = costOf({ usage: cheapUsage, servedModel: served.model, requestedModel: request.model, cacheHit: false, pricing: deps.pricing });
      verdict.cheap = { model: served.model, inputTokens: cheapUsage.inputTokens, outputTokens: cheapUsage.outputTokens, costMicros: cheapCost.costMicros };
      const { admitted: strong, result: strongResult } = escalation;
      const cheapHold = exchange.reservation;
      // Booked as one request on the strong path (the online router learns only from answers the check let through).
      Object.assign(exchange, { rule: strong.rule, plan: strong.plan, router: null, reservation: bothHolds(cheapHold, strong.reservation) });
      const strongServed: Served = { model: strongResult.target.model, provider: strongResult.target.provider.name, attempts: strongResult.attempts.length, cache: cacheOutcome };
      return sendCompletion(answer, {
        served: strongServed,
        completion: strongResult.completion,
        store: storeAs(strongServed.model),
        earlier: { cost: cheapCost, attempts: served.attempts },
      });
    }
    verdict.kept = escalation.reason;
  }
  return sendCompletion(answer, { served, completion: result.completion, store: storeAs(served.model) });
}

/** The plan's route targets with their providers (and prompt-cache marks) resolved. */
function resolveTargets(deps: ChatDeps, plan: ActionPlan): ResolvedTarget[] {
  return plan.finish.targets.map((t) => ({
    ...t,
    provider: deps.providers.resolve(t.model, t.provider, deps.pricing),
    ...(plan.promptCache ? { promptCache: promptCacheCall(plan.promptCache, deps.pricing.models[t.model]) } : {}),
  }));
}

/** One hold released as two: the cheap call's and the strong call's. */
function bothHolds(a: Reservation | null, b: Reservation | null): Reservation | null {
  if (!a || !b) return a ?? b;
  return {
    micros: a.micros + b.micros,
    release() {
      a.release();
      b.release();
    },
  };
}

/** Where the batch lane sends this plan, or null when it is answered at once (also for a route to a provider without a configured batch API). */
function deferTarget(deps: ChatDeps, plan: ActionPlan, deferHeader: string | undefined): { model: string; provider: BatchProvider } | null {
  const first = plan.finish.targets[0];
  if (!first || plan.finish.refusal || !wantsBatch(plan.batch, deferHeader)) return null;
  const provider = deps.providers.resolve(first.model, first.provider, deps.pricing).name;
  return deps.batch.supports(provider) ? { model: first.model, provider } : null;
}

/**
 * A stream stops generating (and billing) when its caller leaves. A complete answer is cheap to
 * finish and book, and providers bill it either way, so it gets no signal: an AbortController and
 * its listeners per request cost more than they save.
 */
function cancelOnClose(res: ServerResponse): AbortSignal {
  const abort = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  return abort.signal;
}
