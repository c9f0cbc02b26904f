import type { KindExecutor } from './kind-executor.js';

/** Only marks the plan: whether the request is deferred also depends on the caller's header and the target's provider (handle-chat.ts). */
export const batchExecutor: KindExecutor<'batch'> = {
  plan: (plan, action) => {
    plan.batch = action;
  },
  resolveFact: null,
  refusalType: null,
};
