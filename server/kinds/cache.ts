import type { KindExecutor } from './kind-executor.js';

export const cacheExecutor: KindExecutor<'cache'> = {
  plan: (plan, action) => {
    // The last cache step on a path decides how its answers are kept.
    plan.cache = action;
  },
  resolveFact: null,
  refusalType: null,
};
