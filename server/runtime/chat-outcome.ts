import { costMicros, estimateCost, promptCacheSaving, roundUsd } from '../../shared/cost.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { Usage } from '../providers/provider.js';

export interface Costing {
  costUsd: number;
  /** The same cost in integer micro-dollars: what budgets count and ledger totals add. */
  costMicros: number;
  /** What the same tokens would have cost at the model the caller asked for, minus what they cost. */
  savedUsd: number;
  /** What the provider's prompt cache saved on the served model (cached reads less the write premium); its own category. */
  promptCacheSavedUsd: number;
}

export interface CostInput {
  usage: Usage;
  /** Null when nothing was served. */
  servedModel: string | null;
  requestedModel: string;
  cacheHit: boolean;
  pricing: PricingTable;
}

/** Cost of what was served, what the policy saved against the model asked for, and what prompt caching saved. Cache hits cost nothing. */
export function costOf({ usage, servedModel, requestedModel, cacheHit, pricing }: CostInput): Costing {
  const served = servedModel ? pricing.models[servedModel] : undefined;
  const asked = pricing.models[requestedModel];
  const costUsd = cacheHit || !served ? 0 : estimateCost(usage, served);
  const baseline = asked ? estimateCost(usage, asked) : costUsd;
  const promptCacheSavedUsd = cacheHit || !served ? 0 : promptCacheSaving(usage, served);
  return {
    costUsd: roundUsd(costUsd),
    costMicros: cacheHit || !served ? 0 : costMicros(usage, served),
    savedUsd: roundUsd(Math.max(0, baseline - costUsd)),
    promptCacheSavedUsd: roundUsd(promptCacheSavedUsd),
  };
}
