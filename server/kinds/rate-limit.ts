import { rateLimited } from '../limits/rate-fact.js';
import type { KindExecutor } from './kind-executor.js';

/** The ok path counts the request (the handler does, once the decision is final); the fact only reads. */
export const rateLimitExecutor: KindExecutor<'rateLimit'> = {
  plan: (plan, action) => {
    plan.countRates.push(action);
  },
  resolveFact: (params, facts, { limiter, now = Date.now }) => rateLimited({ limiter, params, facts, now: now() }),
  refusalType: 'rate_limit_error',
};
