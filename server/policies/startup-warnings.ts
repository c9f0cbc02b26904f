import type { PricingTable } from '../../shared/pricing.js';
import type { Logger } from '../log.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { unservableRoutes } from '../providers/unservable-routes.js';
import { driftOf } from './policy-drift.js';
import type { PolicyStore } from './policy-store.js';

/**
 * What an operator must hear about the loaded policies before traffic arrives: rule files that
 * drifted from their graphs, and routes whose provider is not configured.
 */
export function warnAboutLoadedPolicies(options: { store: PolicyStore; providers: ProviderRegistry; pricing: PricingTable; log: Logger }): void {
  const { store, providers, pricing, log } = options;
  const live = store.list().flatMap((s) => (s.live ? [s.live.ruleFile] : []));
  const drifted = live.filter((file) => driftOf(file, pricing)).map((file) => file.policy.id);
  if (drifted.length > 0) log.warn({ policies: drifted }, 'rule files drifted from their graphs: their rules are served as committed, the editor shows the graph');
  const unservable = unservableRoutes(live, providers, pricing);
  if (unservable.length > 0) log.warn({ routes: unservable }, 'some routes cannot be served: their provider is not configured, so attempts there fail (503 when no fallback is left)');
}
