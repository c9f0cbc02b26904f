import { costMicrosCeil } from '../../shared/cost.js';
import { batchPrice, outputTokensAtMost, type PricingTable } from '../../shared/pricing.js';
import { maxTokensOf } from '../facts/request-facts.js';
import type { ActionPlan } from '../runtime/action-plan.js';

/**
 * Output tokens reserved for a request that sets no max_tokens and meets no trim output cap.
 * Settling books the actual cost either way; this only bounds how far requests in flight can
 * overshoot a budget together, so callers who want a tight bound set max_tokens.
 */
export const DEFAULT_RESERVED_OUTPUT_TOKENS = 4096;

/**
 * What to hold against the budgets before calling, in integer micro-dollars: the prompt as
 * trimmed, the output cap, priced at the dearest of the plan's targets (the route and its
 * fallbacks, or a degrade's cheaper model: a fallback must not overspend either). Refusals and
 * cache-only answers have no targets and cost nothing; so do unpriced models, which the ledger
 * books at 0. A request the batch lane will take (`batch`) is held at its batch price, which is
 * what the ledger books for it. The output cap is the model's own (`maxOutputTokens`) where
 * max_tokens asks for more.
 */
export function reservationMicros(plan: ActionPlan, { promptTokens, pricing, batch = false }: { promptTokens: number; pricing: PricingTable; batch?: boolean }): number {
  const inputTokens = plan.trim?.tokensAfter ?? promptTokens;
  const asked = maxTokensOf(plan.request) || DEFAULT_RESERVED_OUTPUT_TOKENS;
  let most = 0;
  for (const target of plan.finish.targets) {
    const price = pricing.models[target.model];
    if (!price) continue;
    // max_tokens: 1e9 cannot buy more than the model writes in one call; held in full, it would refuse as "over budget" a request costing cents.
    const usage = { inputTokens, outputTokens: outputTokensAtMost(asked, price) };
    most = Math.max(most, costMicrosCeil(usage, batch ? batchPrice(price) : price));
  }
  return most;
}
