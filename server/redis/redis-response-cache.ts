import { z } from 'zod';
import { exactKey, semanticQuery } from '../cache/cache-key.js';
import { servable, type CachedAnswer, type CacheHit, type LocalResponseCache, type ResponseCache } from '../cache/response-cache.js';
import type { SharedRedis } from './redis-connection.js';
import type { SharedSemanticEntries } from './shared-semantic-entries.js';

export interface RedisResponseCacheOptions {
  redis: SharedRedis;
  /** This instance's cache: answers first, keeps semantic entries, and serves alone while Redis is away. */
  local: LocalResponseCache;
  /** Larger answers stay local. */
  maxEntryBytes?: number;
  prefix?: string;
  /** Semantic entries every instance matches; absent, a rewording is matched only over this instance's own entries. */
  semantic?: SharedSemanticEntries;
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
 * expires them and its maxmemory policy bounds them), behind this instance's own cache. Exact
 * lookups read the shared tier by key; a reworded question is matched by this instance's own pair
 * verifier over its entries and those other instances announced (shared-semantic-entries.ts),
 * whose answers are read from Redis on a hit. When Redis fails, the local cache answers alone
 * (fail open: a miss costs a provider call, not money).
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): ResponseCache {
  const { redis, local } = options;
  const prefix = options.prefix ?? 'tg:cache:';
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  const { semantic } = options;
  let sharedHits = 0;
  let sharedSemanticHits = 0;

  async function stored(key: string, ttlSeconds: number): Promise<CachedAnswer | null> {
    const raw = await redis.client.get(prefix + key);
    const parsed = raw ? StoredAnswerSchema.safeParse(safeJson(raw)) : null;
    if (!parsed?.success || Date.now() >= parsed.data.storedAt + ttlSeconds * 1000) return null;
    return parsed.data as CachedAnswer;
  }

  return {
    async lookup(action, input, hitId): Promise<CacheHit | null> {
      const query = semantic && action.mode === 'semantic' ? semanticQuery(action, input) : null;
      if (query) await semantic!.catchUp(query.partition);
      const own = await local.lookupWithShared(action, input, hitId);
      if (own && own.match !== 'shared') return own;
      try {
        if (own) {
          const answer = await stored(own.key, action.ttlSeconds);
          if (answer) {
            sharedHits++;
            sharedSemanticHits++;
            // Kept in the hot tier, so the next hit on this entry is answered here.
            local.keepAnswer(own.key, answer);
            return { ...answer, match: 'semantic', similarity: own.score, hitId: own.hitId };
          }
          local.forget(own.key);
        }
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
      if (!servable(answer.body)) return;
      const storedAt = Date.now();
      const value = JSON.stringify({ ...answer, storedAt });
      if (value.length > maxEntryBytes) return;
      const key = exactKey(action, input);
      const ttlMs = action.ttlSeconds * 1000;
      const query = semantic && action.mode === 'semantic' ? semanticQuery(action, input) : null;
      if (query && query.text.length <= maxEntryBytes) {
        const record = { key, partition: query.partition, text: query.text, storedAt, expiresAt: storedAt + ttlMs };
        semantic!.store({ answerKey: prefix + key, answer: value, record, ttlMs });
        return;
      }
      redis.client.set(prefix + key, value, 'PX', ttlMs).catch((error) => redis.failed('cache.store', 'open', error));
    },

    stats() {
      const own = local.stats();
      // The local cache counted a miss for every lookup Redis then answered.
      return { ...own, hits: own.hits + sharedHits, semanticHits: own.semanticHits + sharedSemanticHits, misses: own.misses - sharedHits };
    },

    recordHitOutcome(hitId, correct) {
      const hit = local.hitOf(hitId);
      const known = local.recordHitOutcome(hitId, correct);
      if (known && hit) semantic?.shareOutcome(hit.key, hit.score, correct);
      return known;
    },

    clear() {
      local.clear();
    },

    close() {
      return local.close();
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
