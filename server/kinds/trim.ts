import { trimRequest } from '../runtime/trim-request.js';
import type { KindExecutor } from './kind-executor.js';

export const trimExecutor: KindExecutor<'trim'> = {
  plan: (plan, action, facts) => {
    plan.trim = trimRequest(plan.request, action, plan.trim?.tokensAfter ?? facts.promptTokens);
    plan.request = plan.trim.request;
  },
  resolveFact: null,
  refusalType: null,
};
