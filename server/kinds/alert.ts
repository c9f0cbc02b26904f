import type { KindExecutor } from './kind-executor.js';

/** Alerts fire in the handler, once the request is counted, so the plan only collects them. */
export const alertExecutor: KindExecutor<'alert'> = {
  plan: (plan, action) => {
    plan.alerts.push(action);
  },
  resolveFact: null,
  refusalType: null,
};
