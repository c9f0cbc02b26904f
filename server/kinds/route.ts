import { resolveModel } from '../runtime/terminal.js';
import type { KindExecutor } from './kind-executor.js';

export const routeExecutor: KindExecutor<'route'> = {
  finish: (action, request) => {
    const { node, model, provider, timeoutMs, retries, backoffMs } = action;
    const targets = [{ node, model, provider, timeoutMs, retries, backoffMs }, ...action.fallbacks].map((t) => ({
      ...t,
      model: resolveModel(t.model, request),
    }));
    return { targets, refusal: null, cacheOnly: null };
  },
  resolveFact: null,
  refusalType: null,
};
