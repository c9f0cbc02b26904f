import type { KindExecutor } from './kind-executor.js';

export const tagExecutor: KindExecutor<'tag'> = {
  plan: (plan, action) => {
    plan.tags = { ...plan.tags, ...action.tags };
  },
  resolveFact: null,
  refusalType: null,
};
