import { stablePrefixFirst } from '../runtime/stable-prefix.js';
import type { KindExecutor } from './kind-executor.js';

/** Reorders the request now; the provider call places Anthropic's breakpoints, since only it knows the wire format and the model's minimum. */
export const promptCacheExecutor: KindExecutor<'promptCache'> = {
  plan: (plan, action) => {
    plan.promptCache = action;
    if (action.stablePrefixFirst) plan.request = stablePrefixFirst(plan.request);
  },
  resolveFact: null,
  refusalType: null,
};
