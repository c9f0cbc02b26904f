import { costMicrosCeil } from '../../shared/cost.js';
import type { PricingTable } from '../../shared/pricing.js';
import { maxTokensOf } from '../facts/request-facts.js';
import type { ActionPlan } from './plan-actions.js';
import { resolveModel } from './terminal.js';

/**
 * Output tokens reserved for a request that sets no max_tokens and meets no trim output cap.
 * Settling books the actual cost either way; this only bounds how far requests in flight can
 * overshoot a budget together, so callers who want a tight bound set max_tokens.
 */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 4096;

/**
 * What to hold against the budgets before calling, in integer micro-dollars: the prompt as
 * trimmed, the output cap, priced at the dearest model the route may end on (a fallback must
 * not overspend either). Refusals and cache-only answers cost nothing; so do unpriced models,
 * which the ledger books at 0. The models are routeTargets' (without building the targets).
 */
export function reservationMicros(plan: ActionPlan, promptTokens: number, pricing: PricingTable): number {
  const inputTokens = plan.trim?.tokensAfter ?? promptTokens;
  const outputTokens = maxTokensOf(plan.request) || DEFAULT_RESERVED_OUTPUT_TOKENS;
  const { terminal } = plan;
  const usage = { inputTokens, outputTokens };
  const priced = (model: string): number => {
    const price = pricing.models[resolveModel(model, plan.request)];
    return price ? costMicrosCeil(usage, price) : 0;
  };
  if (terminal.type === 'degrade' && terminal.mode === 'model') return priced(terminal.model);
  if (terminal.type !== 'route') return 0;
  let most = priced(terminal.model);
  for (const fallback of terminal.fallbacks) most = Math.max(most, priced(fallback.model));
  return most;
}
