import type { ServerResponse } from 'node:http';
import type { BatchAction } from '../../shared/decision.js';
import { onceKept, type AnswerWire } from '../runtime/answer-wire.js';
import { HttpError } from '../errors/http-error.js';
import { pathBudgets } from '../limits/budget-gates.js';
import { scopeKey } from '../limits/scope-key.js';
import { placeCacheBreakpoints } from '../providers/anthropic-cache-breakpoints.js';
import { toAnthropicRequest } from '../providers/anthropic-request.js';
import { openAIRequestBody } from '../providers/openai-provider.js';
import type { ChatDeps } from '../runtime/chat-deps.js';
import { decisionHeaders } from '../runtime/decision-headers.js';
import type { Exchange } from '../runtime/exchange.js';
import { sendJson } from '../runtime/json-response.js';
import { promptCacheCall } from '../runtime/prompt-cache-call.js';
import type { BatchProvider } from './batch-job.js';
import { jobPath, jobView } from './job-view.js';

export const DEFER_HEADER = 'x-tollgate-defer';

/**
 * Whether the request goes to the batch lane: only where its path has a Batch lane node, which
 * either defers everything or honours `x-tollgate-defer: batch`; elsewhere the header is ignored,
 * so a caller cannot make a policy wait that was not written for it. A header value other than
 * `batch` is a 400 wherever it is sent.
 */
export function wantsBatch(action: BatchAction | null, header: string | undefined): boolean {
  const asked = header?.trim().toLowerCase();
  if (asked !== undefined && asked !== '' && asked !== 'batch') {
    throw new HttpError({ status: 400, message: `${DEFER_HEADER}: the only value is "batch"`, field: DEFER_HEADER, code: 'invalid_header' });
  }
  if (!action) return false;
  return action.trigger === 'always' || asked === 'batch';
}

/**
 * Journals the request as a batch job and answers 202 with the job to poll. Nothing is spent
 * yet, so nothing is booked yet; the request's budget hold (priced at the batch price) passes
 * to the lane, which keeps it until the answer is booked, so queued jobs count against budgets.
 */
export function deferToBatch({ deps, res, exchange, target, action, wire }: { deps: ChatDeps; res: ServerResponse; exchange: Exchange; target: { model: string; provider: BatchProvider }; action: BatchAction; wire: AnswerWire }): void {
  const { plan, request, policy, rule, facts } = exchange;
  if (request.stream === true) {
    throw new HttpError({ status: 400, message: 'a request deferred to the batch lane cannot stream: drop "stream" or the x-tollgate-defer header', field: 'stream', code: 'batch_cannot_stream' });
  }
  const body =
    target.provider === 'openai'
      ? openAIRequestBody(plan.request, target.model, false)
      : placeCacheBreakpoints(toAnthropicRequest(plan.request, target.model, false), plan.promptCache ? promptCacheCall(plan.promptCache, deps.pricing.models[target.model]) : undefined);
  const { reservation } = exchange;
  const hold = reservation ? { keys: pathBudgets(rule).scopes.map((scope) => scopeKey(scope, facts)), micros: reservation.micros } : undefined;
  const state = deps.batch.accept(
    {
    id: exchange.id,
    provider: target.provider,
    model: target.model,
    body,
    requestedModel: request.model,
    policy: policy.id,
    policyVersion: policy.ruleFile.policy.version,
    rule: rule.name,
    tags: plan.tags,
    serviceKey: facts.serviceKey,
    user: facts.user,
    acceptedAt: new Date().toISOString(),
    webhookUrlEnv: action.webhookUrlEnv,
    ...(hold ? { hold } : {}),
    ...(wire.keepsDeferred ? { kept: true as const } : {}),
    },
    reservation,
  );
  // The lane owns the hold now: the 202 going out (the response closing) must not release it.
  exchange.reservation = null;
  const { 'x-tollgate-cost-usd': _unknownYet, ...headers } = decisionHeaders(exchange, { model: target.model, provider: target.provider, cache: 'bypass', costUsd: 0 });
  // The Responses API answers a background request 200 with the response queued, read back by its id.
  const shaped = wire.deferred(state);
  if (shaped) onceKept(wire, () => sendJson(res, { status: 200, body: shaped, headers: { ...headers, location: `/v1/responses/${String(shaped.id)}`, [DEFER_HEADER]: 'batch' } }));
  else sendJson(res, { status: 202, body: jobView(state), headers: { ...headers, location: jobPath(state.job.id), [DEFER_HEADER]: 'batch' } });
}
