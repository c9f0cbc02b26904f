import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import type { CallerContext } from '../facts/request-facts.js';
import { admit, type Admitted, type AdmissionInput } from '../limits/budget-admission.js';
import { scopeKey } from '../limits/scope-key.js';
import { admitShared } from '../limits/shared-budget-admission.js';
import type { LivePolicy } from '../policies/policy-store.js';
import type { RequestRates } from '../redis/redis-rate-limiter.js';
import type { ActionPlan } from './action-plan.js';
import type { ChatDeps } from './chat-deps.js';

export interface AdmitRequestInput {
  policy: LivePolicy;
  request: ChatCompletionRequest;
  facts: RequestFacts;
  caller: CallerContext;
  now: number;
  deferred?: ((plan: ActionPlan) => boolean) | undefined;
  reshape?: ((plan: ActionPlan) => ActionPlan) | undefined;
}

export interface AdmittedRequest extends Admitted {
  /** The resolver the decision read (the shared rate limits' view, with Redis). */
  resolve: DynamicFactResolver;
  /** The same request decided and held again with another resolver (an answer check's escalation). */
  admitWith(resolve: DynamicFactResolver): ReturnType<typeof admit> | Promise<Admitted | null>;
}

/**
 * Decides a request and holds its budgets (AdmissionInput), with the shared rate limits and
 * budgets when Redis is set, then counts the rate limits its path counts and fires its alerts.
 * Whatever way admission fails, the shared rate admissions are given back; a request no rule
 * matches is a 403.
 */
export async function admitRequest(deps: ChatDeps, o: AdmitRequestInput): Promise<AdmittedRequest> {
  const { policy, request, facts, caller, now } = o;
  // Read in the same round trip time as the rate limits (view() answers its own failures; it never rejects).
  const budgetView = deps.sharedBudgets?.view({ rules: policy.ruleFile, facts, now });
  const rates = deps.sharedRates ? await deps.sharedRates.admit({ rules: policy.ruleFile, facts }) : null;
  const input: AdmissionInput = { evaluator: policy.evaluator, request, facts, resolve: rates?.resolve ?? deps.resolve, budgets: deps.budgets, pricing: deps.pricing, now, boundTags: caller.boundTags, deferred: o.deferred, reshape: o.reshape };
  const admitWith = (resolve: DynamicFactResolver, first?: typeof budgetView) =>
    deps.sharedBudgets ? admitShared(deps.sharedBudgets, { ...input, resolve, rules: policy.ruleFile, first }) : admit({ ...input, resolve });
  const admission = admitOrSettle(rates, () => admitWith(input.resolve, budgetView));
  const admitted = admission instanceof Promise ? await settleOnFailure(admission, rates) : admission;
  if (!admitted) {
    rates?.settle();
    throw new HttpError({ status: 403, message: `No rule of policy "${policy.id}" matches this request`, type: 'policy_blocked', code: 'no_matching_rule' });
  }
  const limiter = rates ?? deps.limiter;
  for (const count of admitted.plan.countRates) limiter.count(count, scopeKey(count.scope, facts), facts.promptTokens + facts.maxTokens, now);
  rates?.settle();
  for (const alert of admitted.plan.alerts) deps.alerts.fire(alert, { policy: policy.id, rule: admitted.rule.name, tags: admitted.plan.tags, model: request.model });
  return { ...admitted, resolve: input.resolve, admitWith: (resolve) => admitWith(resolve) };
}

/** Admission can refuse by throwing (no branch fits the budgets): the shared limits it was counted against are settled first. */
function admitOrSettle<T>(rates: RequestRates | null, run: () => T): T {
  try {
    return run();
  } catch (error) {
    rates?.settle();
    throw error;
  }
}

/** A decision that fails gives its shared rate admissions back, as one that matches nothing does. */
function settleOnFailure<T>(pending: Promise<T>, rates: RequestRates | null): Promise<T> {
  if (!rates) return pending;
  return pending.catch((error: unknown) => {
    rates.settle();
    throw error;
  });
}
