import { routerScoreFact } from '../routing/router-fact.js';
import type { KindExecutor } from './kind-executor.js';

/** Scoring reads only the request, so the fact needs no runtime state. */
export const smartRouteExecutor: KindExecutor<'smartRoute'> = {
  plan: null,
  resolveFact: (params, facts) => routerScoreFact(params, facts),
  refusalType: null,
};
