import type { KindExecutor } from './kind-executor.js';

/** Asking may grant the half-open probe, so the fact is resolved only where a rule tests it (lazily, once per decision). */
export const providerHealthExecutor: KindExecutor<'providerHealth'> = {
  plan: null,
  resolveFact: (params, _facts, { health }) => health.isHealthy(params),
  refusalType: null,
};
