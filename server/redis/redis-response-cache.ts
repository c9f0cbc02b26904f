import { z } from 'zod';
import { exactKey } from '../cache/cache-key.js';
import type { CachedAnswer, CacheHit, LocalResponseCache, ResponseCache } from '../cache/response-cache.js';
import type { SharedRedis } from './redis-connection.js';

export interface RedisResponseCacheOptions {
  redis: SharedRedis;
  /** This instance's cache: answers first, keeps semantic entries, and serves alone while Redis is away. */
  local: LocalResponseCache;
  /** Larger answers stay local. */
  maxEntryBytes?: number;
  prefix?: string;
}

/** What is read back from Redis is checked: another version of Tollgate (or anything else) may have written the key. */
const StoredAnswerSchema = z.object({
  body: z.record(z.string(), z.unknown()),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }).nullable(),
  model: z.string(),
  storedAt: z.number(),
});

/**
 * Cache entries shared by every instance through Redis (SET with the node's TTL, so Redis
 * expires them and its maxmemory policy bounds them), behind this instance's own cache. Shared
 * lookups are by exact key, in exact and semantic mode alike; a reworded question is matched by
 * each instance's own pair verifier over the entries it holds (its index needs the question text,
 * which the shared tier does not carry yet). When Redis fails, the local cache answers alone
 * (fail open: a miss costs a provider call, not money).
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): ResponseCache {
  const { redis, local } = options;
  const prefix = options.prefix ?? 'tg:cache:';
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  let sharedHits = 0;

  async function stored(key: string, ttlSeconds: number): Promise<CachedAnswer | null> {
    const raw = await redis.client.get(prefix + key);
    const parsed = raw ? StoredAnswerSchema.safeParse(safeJson(raw)) : null;
    if (!parsed?.success || Date.now() >= parsed.data.storedAt + ttlSeconds * 1000) return null;
    return parsed.data as CachedAnswer;
  }

  return {
    async lookup(action, input, hitId): Promise<CacheHit | null> {
      const own = local.lookup(action, input, hitId);
      if (own) return own;
      try {
        const exact = await stored(exactKey(action, input), action.ttlSeconds);
        if (!exact) return null;
        sharedHits++;
        return { ...exact, match: 'exact', similarity: 1 };
      } catch (error) {
        redis.failed('cache.lookup', 'open', error);
        return null;
      }
    },

    store(action, input, answer) {
      local.store(action, input, answer);
      if (!Array.isArray(answer.body.choices) || answer.body.choices.length === 0) return;
      const storedAt = Date.now();
      const value = JSON.stringify({ ...answer, storedAt });
      if (value.length > maxEntryBytes) return;
      const key = exactKey(action, input);
      const ttlMs = action.ttlSeconds * 1000;
      redis.client.set(prefix + key, value, 'PX', ttlMs).catch((error) => redis.failed('cache.store', 'open', error));
    },

    stats() {
      const own = local.stats();
      // The local cache counted a miss for every lookup Redis then answered.
      return { ...own, hits: own.hits + sharedHits, misses: own.misses - sharedHits };
    },

    recordHitOutcome(hitId, correct) {
      return local.recordHitOutcome(hitId, correct);
    },

    clear() {
      local.clear();
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
