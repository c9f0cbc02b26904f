import { createHash } from 'node:crypto';
import type { AlertClaim } from '../alerts/alert-feed.js';
import type { SharedRedis } from './redis-connection.js';

/**
 * Alert de-duplication across instances: SET NX on the alert's kind, scope and window, so a
 * budget crossing seen by three instances posts once. While Redis fails, each instance delivers
 * its own (fail open: a repeated alert beats a lost one).
 */
export function sharedAlertClaims(redis: SharedRedis, prefix = 'tg:alert:'): AlertClaim {
  return async ({ key, windowStart, ttlMs }) => {
    const id = createHash('sha256').update(key).digest('hex').slice(0, 32);
    try {
      const set = await redis.client.set(`${prefix}${id}:${windowStart ?? 'any'}`, '1', 'PX', ttlMs, 'NX');
      return set === 'OK';
    } catch (error) {
      redis.failed('alert.claim', 'open', error);
      return true;
    }
  };
}
