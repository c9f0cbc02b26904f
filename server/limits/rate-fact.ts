import type { RateFactParams } from '../../shared/nodes/rate-limit.js';
import type { RateWindows } from './rate-windows.js';
import { scopeKey, type ScopeSubject } from './scope-key.js';

/** The `rateLimited` dynamic fact for one request: reads the limiter, never counts. */
export function rateLimited({ limiter, params, facts, now }: { limiter: RateWindows; params: RateFactParams; facts: ScopeSubject; now: number }): boolean {
  return limiter.isLimited(params, scopeKey(params.scope, facts), now);
}
