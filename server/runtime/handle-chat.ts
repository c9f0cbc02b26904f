import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChatCompletionRequest } from '../../shared/api.js';
import { ChatCompletionRequestSchema } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { Rule } from '../../shared/rule-file.js';
import { callerContext } from '../http/caller-context.js';
import { header, sendJson } from '../http/json-response.js';
import { HttpError, parseOrThrow, type OpenAIErrorType } from '../http/openai-error.js';
import { requestFacts } from '../facts/request-facts.js';
import { scopeKey } from '../limits/scope-key.js';
import type { LivePolicy } from '../policies/policy-store.js';
import { callRoute, RouteFailedError } from '../providers/call-route.js';
import type { Usage } from '../providers/provider.js';
import type { ActionPlan } from './plan-actions.js';
import { planActions } from './plan-actions.js';
import type { Runtime } from './runtime.js';
import { routeTargets } from './terminal.js';
import { sendCached, sendCompletion, sendStream, type Served } from './send-answer.js';
import { failureFromRoute } from './route-failure.js';

/** Everything known about one request by the time it is answered, for headers and the ledger. */
export interface Exchange {
  /** Also the ledger record's id and the `x-tollgate-request-id` header. */
  id: string;
  started: number;
  policy: LivePolicy;
  rule: Rule;
  request: ChatCompletionRequest;
  facts: RequestFacts;
  plan: ActionPlan;
}

/** POST /v1/chat/completions: facts, decision, actions, provider call, answer, ledger. */
export async function handleChat(rt: Runtime, req: IncomingMessage, body: unknown, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const request = parseOrThrow(ChatCompletionRequestSchema, body);
  const policy = rt.policyFor(header(req, 'x-tollgate-policy'));
  const caller = callerContext(req);
  const now = Date.now();
  const facts = requestFacts(request, caller, rt.pricing, new Date(now));
  const decided = policy.evaluator.decide(facts, rt.resolve);
  const rule = decided instanceof Promise ? await decided : decided;
  if (!rule) {
    throw new HttpError(403, `No rule of policy "${policy.id}" matches this request`, 'policy_blocked', null, 'no_matching_rule');
  }
  const plan = planActions(rule, request, facts);
  const exchange: Exchange = { id: randomUUID(), started, policy, rule, request, facts, plan };

  for (const count of plan.countRates) rt.limiter.count(count, scopeKey(count.scope, facts), facts.promptTokens + facts.maxTokens, now);
  for (const alert of plan.alerts) rt.alerts.fire(alert, { policy: policy.id, rule: rule.name, tags: plan.tags, model: request.model });

  const { terminal } = plan;
  if (terminal.type === 'block' || (terminal.type === 'degrade' && terminal.mode === 'reject')) {
    return refuse(rt, res, exchange, terminal.status, terminal.message);
  }

  const targets = routeTargets(terminal, plan.request);
  const cacheModel = targets[0]?.model ?? request.model;
  const cacheOnly = terminal.type === 'degrade' && terminal.mode === 'cacheOnly';
  const cacheAction = plan.cache ?? (cacheOnly ? rt.defaultCacheAction(terminal.node) : null);
  const cacheInput = { request: plan.request, model: cacheModel, tags: plan.tags };
  const cacheOutcome = cacheAction ? 'miss' : 'bypass';
  if (cacheAction) {
    const hit = rt.cache.lookup(cacheAction, cacheInput, exchange.id);
    if (hit) return sendCached(rt, res, exchange, hit);
  }
  if (cacheOnly) return refuse(rt, res, exchange, terminal.status, terminal.message);

  const resolved = targets.map((t) => ({ ...t, provider: rt.providers.resolve(t.model, t.provider, rt.pricing) }));
  const stream = request.stream === true;
  let result;
  try {
    result = await callRoute(resolved, plan.request, { stream, ...(stream ? { signal: cancelOnClose(res) } : {}) });
  } catch (error) {
    if (!(error instanceof RouteFailedError)) throw error;
    for (const a of error.attempts) rt.health.record(a.provider, a.ok);
    const failure = failureFromRoute(error);
    rt.record(exchange, { status: failure.status, served: null, usage: null, cache: cacheOutcome, attempts: error.attempts.length, error: failure.message }, () =>
      sendJson(res, failure.status, failure.body, rt.decisionHeaders(exchange, { model: null, cache: cacheOutcome, costUsd: 0 })),
    );
    return;
  }
  for (const a of result.attempts) rt.health.record(a.provider, a.ok);
  const served: Served = {
    model: result.target.model,
    provider: result.target.provider.name,
    attempts: result.attempts.length,
    cache: cacheOutcome,
  };
  const store = cacheAction
    ? (body: Record<string, unknown>, usage: Usage | null) =>
        rt.cache.store(cacheAction, cacheInput, { body, usage, model: served.model })
    : null;
  if (result.completion) return sendCompletion(rt, res, exchange, served, result.completion, store);
  return sendStream(rt, res, exchange, served, result.stream!, store);
}

/** The error type a refusal gets from the gate that sent the request there: the nearest budget or rate limit on its path. */
function refusalType(exchange: Exchange): OpenAIErrorType {
  const kinds = new Map(exchange.policy.ruleFile.graph.nodes.map((n) => [n.id, n.kind]));
  const gate = [...exchange.rule.event.params.path].reverse().find((id) => kinds.get(id) === 'budget' || kinds.get(id) === 'rateLimit');
  if (!gate) return 'policy_blocked';
  return kinds.get(gate) === 'budget' ? 'budget_exceeded' : 'rate_limit_error';
}

function refuse(rt: Runtime, res: ServerResponse, exchange: Exchange, status: number, message: string): void {
  const type = refusalType(exchange);
  const error = new HttpError(status, message, type, null, exchange.plan.terminal.type === 'block' ? 'policy_block' : 'policy_degrade');
  rt.record(exchange, { status, served: null, usage: null, cache: 'bypass', attempts: 0, error: message }, () =>
    sendJson(res, status, error.toBody(), rt.decisionHeaders(exchange, { model: null, cache: 'bypass', costUsd: 0 })),
  );
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
