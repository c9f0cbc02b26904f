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
 * Exact cache entries shared by every instance through Redis (SET with the node's TTL, so Redis
 * expires them and its maxmemory policy bounds them), in front of this instance's own cache.
 * Semantic entries stay per instance: matching them needs every embedding of a partition. When
 * Redis fails, the local cache answers alone (fail open: a miss costs a provider call, not money).
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): ResponseCache {
  const { redis, local } = options;
  const prefix = options.prefix ?? 'tg:cache:';
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  let sharedHits = 0;

  return {
    async lookup(action, input): Promise<CacheHit | null> {
      const own = local.lookup(action, input);
      if (own) return own;
      let raw: string | null;
      try {
        raw = await redis.client.get(prefix + exactKey(action, input));
      } catch (error) {
        redis.failed('cache.lookup', 'open', error);
        return null;
      }
      const parsed = raw ? StoredAnswerSchema.safeParse(safeJson(raw)) : null;
      if (!parsed?.success || Date.now() >= parsed.data.storedAt + action.ttlSeconds * 1000) return null;
      sharedHits++;
      return { ...(parsed.data as CachedAnswer), match: 'exact', similarity: 1 };
    },

    store(action, input, answer) {
      local.store(action, input, answer);
      if (!Array.isArray(answer.body.choices) || answer.body.choices.length === 0) return;
      const value = JSON.stringify({ ...answer, storedAt: Date.now() });
      if (value.length > maxEntryBytes) return;
      redis.client.set(prefix + exactKey(action, input), value, 'PX', action.ttlSeconds * 1000).catch((error) => redis.failed('cache.store', 'open', error));
    },

    stats() {
      const own = local.stats();
      // The local cache counted a miss for every lookup Redis then answered.
      return { ...own, hits: own.hits + sharedHits, misses: own.misses - sharedHits };
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
