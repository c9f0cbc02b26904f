import type { ChatCompletionRequest } from '../../shared/api.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { REQUESTED_MODEL } from '../../shared/nodes/route.js';
import { finishOf } from '../kinds/index.js';
import { terminalOf } from '../runtime/terminal.js';
import type { ProviderRegistry } from './registry.js';

export interface UnservableRoute {
  policy: string;
  node: string;
  model: string;
  /** The variable to set, e.g. `ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL)`. */
  missing: string;
}

/** A request that keeps `*` as the model, so pass-through routes stay recognisable. */
const PASS_THROUGH = { model: REQUESTED_MODEL, messages: [] } as unknown as ChatCompletionRequest;

/**
 * Every route target (fallbacks and degrade models included) of the given rule files whose
 * provider is not configured, once per policy, node and model. A pass-through route (`*`) on
 * `auto` depends on what each caller asks for, so it is not listed.
 */
export function unservableRoutes(ruleFiles: readonly RuleFile[], providers: ProviderRegistry, pricing: PricingTable): UnservableRoute[] {
  const found = new Map<string, UnservableRoute>();
  for (const file of ruleFiles) {
    for (const rule of file.rules) {
      for (const target of finishOf(terminalOf(rule.event.params.actions), PASS_THROUGH).targets) {
        if (target.model === REQUESTED_MODEL && target.provider === 'auto') continue;
        const missing = providers.missingSetting(target.model, target.provider, pricing);
        const key = `${file.policy.id}\u0000${target.node}\u0000${target.model}`;
        if (missing && !found.has(key)) found.set(key, { policy: file.policy.id, node: target.node, model: target.model, missing });
      }
    }
  }
  return [...found.values()];
}
