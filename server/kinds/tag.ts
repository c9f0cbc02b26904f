import type { KindExecutor } from './kind-executor.js';

export const tagExecutor: KindExecutor<'tag'> = {
  plan: (plan, action) => {
    plan.tags = { ...plan.tags, ...action.tags, ...plan.boundTags };
  },
  resolveFact: null,
  refusalType: null,
};
