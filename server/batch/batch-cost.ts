import { costMicros, estimateCost, promptCacheSaving, roundUsd } from '../../shared/cost.js';
import { batchPrice, type PricingTable } from '../../shared/pricing.js';
import type { Usage } from '../providers/provider.js';
import type { Costing } from '../runtime/chat-outcome.js';

export interface BatchCosting extends Costing {
  /** The same tokens at the synchronous price minus what they cost in the batch: its own savings category. */
  batchSavedUsd: number;
}

/**
 * Cost of a batch answer at the model's batch price. `savedUsd` stays what routing saved (the
 * model asked for against the one served, both at the synchronous price), so the two savings
 * never count the same dollar twice.
 */
export function batchCostOf({ usage, servedModel, requestedModel, pricing }: { usage: Usage; servedModel: string; requestedModel: string; pricing: PricingTable }): BatchCosting {
  const served = pricing.models[servedModel];
  if (!served) return { costUsd: 0, costMicros: 0, savedUsd: 0, promptCacheSavedUsd: 0, batchSavedUsd: 0 };
  const batch = batchPrice(served);
  const sync = estimateCost(usage, served);
  const cost = estimateCost(usage, batch);
  const asked = pricing.models[requestedModel];
  const baseline = asked ? estimateCost(usage, asked) : sync;
  return {
    costUsd: roundUsd(cost),
    costMicros: costMicros(usage, batch),
    savedUsd: roundUsd(Math.max(0, baseline - sync)),
    promptCacheSavedUsd: roundUsd(promptCacheSaving(usage, batch)),
    batchSavedUsd: roundUsd(sync - cost),
  };
}
