import { routerScoreFact } from '../routing/router-fact.js';
import type { KindExecutor } from './kind-executor.js';

/** Scoring reads only the request; the online correction, when the runtime has one, moves the threshold. */
export const smartRouteExecutor: KindExecutor<'smartRoute'> = {
  plan: (plan, action) => {
    plan.checkAnswer = action;
  },
  resolveFact: (params, facts, sources) => routerScoreFact(params, facts, sources.router ? { learner: sources.router, now: (sources.now ?? Date.now)() } : undefined),
  refusalType: null,
};
