import { z } from 'zod';
import { exactKey, semanticQuery } from '../cache/cache-key.js';
import type { CachedAnswer, CacheHit, LocalResponseCache, ResponseCache } from '../cache/response-cache.js';
import { cosineSparse, embed, toSparse } from '../cache/text-embedding.js';
import type { SharedRedis } from './redis-connection.js';
import { RedisScript } from './redis-script.js';

/**
 * Adds one semantic entry to its partition: the embedding in a hash by exact key, its age in a
 * sorted set, the oldest beyond ARGV[4] dropped from both, and the partition expiring with its
 * newest entry. KEYS: hash, order. ARGV: exact key, embedding JSON, now, most entries, ttl ms.
 */
const ADD_SEMANTIC = new RedisScript(`
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], tonumber(ARGV[3]), ARGV[1])
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[4])
if over > 0 then
  for _, old in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do redis.call('HDEL', KEYS[1], old) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]))
return 1
`);

const SparseSchema = z.object({ i: z.array(z.number().int().min(0)), v: z.array(z.number()) });

export interface RedisResponseCacheOptions {
  redis: SharedRedis;
  /** This instance's cache: answers first, keeps semantic entries, and serves alone while Redis is away. */
  local: LocalResponseCache;
  /** Larger answers stay local. */
  maxEntryBytes?: number;
  /** Most semantic entries per partition in Redis (each lookup compares against all of them). */
  maxPerPartition?: number;
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
 * expires them and its maxmemory policy bounds them), behind this instance's own cache. A
 * semantic entry also keeps its sparse embedding in its partition's hash (at most
 * maxPerPartition, oldest dropped), which a semantic lookup reads whole and compares. When Redis
 * fails, the local cache answers alone (fail open: a miss costs a provider call, not money).
 */
export function createRedisResponseCache(options: RedisResponseCacheOptions): ResponseCache {
  const { redis, local } = options;
  const prefix = options.prefix ?? 'tg:cache:';
  const maxEntryBytes = options.maxEntryBytes ?? 1024 * 1024;
  const maxPerPartition = options.maxPerPartition ?? 256;
  let sharedHits = 0;
  let sharedSemanticHits = 0;

  async function stored(key: string, ttlSeconds: number): Promise<CachedAnswer | null> {
    const raw = await redis.client.get(prefix + key);
    const parsed = raw ? StoredAnswerSchema.safeParse(safeJson(raw)) : null;
    if (!parsed?.success || Date.now() >= parsed.data.storedAt + ttlSeconds * 1000) return null;
    return parsed.data as CachedAnswer;
  }

  async function semanticHit(action: Parameters<ResponseCache['lookup']>[0], input: Parameters<ResponseCache['lookup']>[1]): Promise<CacheHit | null> {
    const query = action.mode === 'semantic' ? semanticQuery(action, input) : null;
    if (!query) return null;
    const candidates = await redis.client.hgetall(`${prefix}sem:${query.partition}`);
    const vector = embed(query.text);
    const ranked: { key: string; similarity: number }[] = [];
    for (const [key, json] of Object.entries(candidates)) {
      const sparse = SparseSchema.safeParse(safeJson(json));
      if (!sparse.success) continue;
      const similarity = cosineSparse(vector, { indices: Uint16Array.from(sparse.data.i), values: Float32Array.from(sparse.data.v) });
      if (similarity >= action.similarity) ranked.push({ key, similarity });
    }
    ranked.sort((a, b) => b.similarity - a.similarity);
    // The best may have expired on its own TTL; the next best then answers.
    for (const { key, similarity } of ranked.slice(0, 3)) {
      const answer = await stored(key, action.ttlSeconds);
      if (answer) return { ...answer, match: 'semantic', similarity };
    }
    return null;
  }

  return {
    async lookup(action, input): Promise<CacheHit | null> {
      const own = local.lookup(action, input);
      if (own) return own;
      try {
        const exact = await stored(exactKey(action, input), action.ttlSeconds);
        if (exact) {
          sharedHits++;
          return { ...exact, match: 'exact', similarity: 1 };
        }
        const similar = await semanticHit(action, input);
        if (similar) {
          sharedHits++;
          sharedSemanticHits++;
        }
        return similar;
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
      const query = action.mode === 'semantic' ? semanticQuery(action, input) : null;
      if (!query) return;
      const sparse = toSparse(embed(query.text));
      const json = JSON.stringify({ i: Array.from(sparse.indices), v: Array.from(sparse.values) });
      const keys = [`${prefix}sem:${query.partition}`, `${prefix}semo:${query.partition}`];
      ADD_SEMANTIC.run(redis.client, keys, [key, json, storedAt, maxPerPartition, ttlMs]).catch((error) => redis.failed('cache.store', 'open', error));
    },

    stats() {
      const own = local.stats();
      // The local cache counted a miss for every lookup Redis then answered.
      return { ...own, hits: own.hits + sharedHits, semanticHits: own.semanticHits + sharedSemanticHits, misses: own.misses - sharedHits };
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
