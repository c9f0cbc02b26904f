import { CacheParamsSchema } from '../../shared/nodes/cache.js';
import { RouteParamsSchema } from '../../shared/nodes/route.js';
import { resolveModel } from '../runtime/terminal.js';
import type { KindExecutor } from './kind-executor.js';

/** A degrade to a cheaper model calls it the way a Route node with default settings would. */
const { timeoutMs, retries, backoffMs } = RouteParamsSchema.parse({});
/** A cache-only degrade with no Cache node on its path reads the cache as a Cache node with default settings would. */
const CACHE_DEFAULTS = CacheParamsSchema.parse({});

export const degradeExecutor: KindExecutor<'degrade'> = {
  finish: (action, request) => {
    if (action.mode === 'model') {
      const target = { node: action.node, model: resolveModel(action.model, request), provider: action.provider, timeoutMs, retries, backoffMs };
      return { targets: [target], refusal: null, cacheOnly: null };
    }
    const refusal = { status: action.status, message: action.message, code: 'policy_degrade' };
    return { targets: [], refusal, cacheOnly: action.mode === 'cacheOnly' ? { type: 'cache', node: action.node, ...CACHE_DEFAULTS } : null };
  },
  resolveFact: null,
  refusalType: null,
};
