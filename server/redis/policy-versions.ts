import type { NextVersion } from '../policies/publisher.js';
import type { SharedRedis } from './redis-connection.js';
import { RedisScript } from './redis-script.js';

/**
 * Takes the next version number of a policy atomically, above both the shared counter and the
 * newest version this instance knows (a Redis restarted empty, or files from git, start above it).
 */
const NEXT_VERSION = new RedisScript(`
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local floor = tonumber(ARGV[1])
if current < floor then current = floor end
current = current + 1
redis.call('SET', KEYS[1], current)
return current
`);

export const versionKey = (id: string) => `tg:policy:${id}:version`;

/**
 * Two instances publishing the same policy at once each get their own number, so versions stay
 * unique and ordered; the later one is simply the newer version, as two publishes on one instance
 * are. With Redis away the instance numbers locally (metered) and the counter catches up after.
 */
export function sharedVersions(redis: SharedRedis): NextVersion {
  return async (id, floor) => {
    try {
      return Number(await NEXT_VERSION.run(redis.client, [versionKey(id)], [floor]));
    } catch (error) {
      redis.failed('policy.version', 'local', error);
      return floor + 1;
    }
  };
}
