import { ruleDrift } from '../../shared/compiler/rule-drift.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { RuleFile } from '../../shared/rule-file.js';

/** A live rule file never changes (a reload swaps in a new object), so its drift is computed once. */
const checked = new WeakMap<RuleFile, WeakMap<PricingTable, string | null>>();

/** `ruleDrift` for a live policy's rule file, remembered for as long as that version is live. */
export function driftOf(ruleFile: RuleFile, pricing: PricingTable): string | null {
  let byPricing = checked.get(ruleFile);
  if (!byPricing) checked.set(ruleFile, (byPricing = new WeakMap()));
  if (!byPricing.has(pricing)) byPricing.set(pricing, ruleDrift(ruleFile, pricing));
  return byPricing.get(pricing)!;
}
