import type { RateFactParams } from '../../shared/nodes/rate-limit.js';

/**
 * What the `rateLimited` fact and the `countRate` action need of a limiter. The in-memory
 * RateLimiter is one; with Redis, each request gets one whose answers were admitted atomically
 * across instances before its decision (see server/redis/redis-rate-limiter.ts). Both are sync.
 */
export interface RateWindows {
  isLimited(params: RateFactParams, key: string, now: number): boolean;
  count(params: RateFactParams, key: string, tokens: number, now: number): void;
}
