import { LRUCache } from 'lru-cache';
import type { CacheAction } from '../../shared/decision.js';
import type { Usage } from '../providers/provider.js';
import { exactKey, semanticQuery, type CacheInput } from './cache-key.js';
import { cosineSparse, embed, toSparse, type SparseEmbedding } from './text-embedding.js';

export type { CacheInput } from './cache-key.js';

/** A stored answer: an OpenAI chat.completion body, what it cost in tokens, the model that wrote it. */
export interface CachedAnswer {
  body: Record<string, unknown>;
  usage: Usage | null;
  model: string;
  /** Epoch ms. */
  storedAt: number;
}

export interface CacheHit extends CachedAnswer {
  match: 'exact' | 'semantic';
  /** 1 for an exact hit; the cosine of the two last user messages for a semantic one. */
  similarity: number;
}

export interface ResponseCacheOptions {
  maxEntries?: number;
  /** Bound on the bodies (and embeddings) held, in bytes of their JSON. */
  maxBytes?: number;
  /** Larger answers are not cached. */
  maxEntryBytes?: number;
  /**
   * Most semantic entries per partition (same model, parameters, scope and conversation so far);
   * a lookup compares against each, so this bounds its cost (256 sparse embeddings of a
   * ~100-word question: ~25k multiply-adds).
   */
  maxPerPartition?: number;
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  semanticHits: number;
  misses: number;
  stores: number;
  entries: number;
  bytes: number;
}

export interface ResponseCache {
  /** Sync in memory; the Redis tier (server/redis/redis-response-cache.ts) answers with a promise. */
  lookup(action: CacheAction, input: CacheInput): CacheHit | null | Promise<CacheHit | null>;
  store(action: CacheAction, input: CacheInput, answer: Omit<CachedAnswer, 'storedAt'>): void;
  stats(): CacheStats;
  clear(): void;
}

/** The in-memory cache answers at once. */
export interface LocalResponseCache extends ResponseCache {
  lookup(action: CacheAction, input: CacheInput): CacheHit | null;
}

interface Entry {
  answer: CachedAnswer;
  expiresAt: number;
  semantic: { partition: string; vector: SparseEmbedding } | null;
  size: number;
}

/** Per-entry bookkeeping besides the body: keys, usage, timestamps. */
const ENTRY_OVERHEAD_BYTES = 256;

/**
 * The response cache, in memory: an LRU bounded by entry count and bytes, a TTL per entry set
 * by the cache node that stored it (and shortened by a node that now asks for less). Exact mode
 * matches the request byte for byte (after canonicalisation); semantic mode also serves an
 * answer to a differently worded last user message in the same conversation, model, parameters
 * and scope partition when the embeddings are similar enough.
 */
export function createResponseCache(options: ResponseCacheOptions = {}): LocalResponseCache {
  const now = options.now ?? Date.now;
  const maxPerPartition = options.maxPerPartition ?? 256;
  /** Partition hash → keys of its entries, oldest first. */
  const partitions = new Map<string, Set<string>>();
  const counters = { hits: 0, semanticHits: 0, misses: 0, stores: 0 };

  const entries = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 10_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    maxEntrySize: options.maxEntryBytes ?? 1024 * 1024,
    sizeCalculation: (entry) => entry.size,
    dispose: (entry, key) => {
      if (!entry.semantic) return;
      const keys = partitions.get(entry.semantic.partition);
      keys?.delete(key);
      if (keys?.size === 0) partitions.delete(entry.semantic.partition);
    },
  });

  /** A live entry, or undefined; an expired one (by its own TTL or the asking node's shorter one) is dropped. */
  function live(key: string, ttlSeconds: number, peek: boolean): Entry | undefined {
    const entry = peek ? entries.peek(key) : entries.get(key);
    if (!entry) return undefined;
    const at = now();
    if (at < entry.expiresAt && at < entry.answer.storedAt + ttlSeconds * 1000) return entry;
    if (at >= entry.expiresAt) entries.delete(key);
    return undefined;
  }

  function lookupSemantic(action: CacheAction, input: CacheInput): CacheHit | null {
    const query = semanticQuery(action, input);
    const keys = query && partitions.get(query.partition);
    if (!query || !keys) return null;
    const vector = embed(query.text);
    let best: { key: string; similarity: number } | null = null;
    for (const key of [...keys]) {
      const entry = live(key, action.ttlSeconds, true);
      if (!entry?.semantic) continue;
      const similarity = cosineSparse(vector, entry.semantic.vector);
      if (similarity >= action.similarity && (!best || similarity > best.similarity)) best = { key, similarity };
    }
    const entry = best && entries.get(best.key);
    return entry && best ? { ...entry.answer, match: 'semantic', similarity: best.similarity } : null;
  }

  return {
    lookup(action, input) {
      const exact = live(exactKey(action, input), action.ttlSeconds, false);
      if (exact) {
        counters.hits++;
        return { ...exact.answer, match: 'exact', similarity: 1 };
      }
      const hit = action.mode === 'semantic' ? lookupSemantic(action, input) : null;
      if (hit) {
        counters.hits++;
        counters.semanticHits++;
      } else counters.misses++;
      return hit;
    },

    store(action, input, answer) {
      if (!Array.isArray(answer.body.choices) || answer.body.choices.length === 0) return;
      const key = exactKey(action, input);
      const query = action.mode === 'semantic' ? semanticQuery(action, input) : null;
      const semantic = query ? { partition: query.partition, vector: toSparse(embed(query.text)) } : null;
      const storedAt = now();
      const size = JSON.stringify(answer.body).length + (semantic ? semantic.vector.indices.length * 6 : 0) + ENTRY_OVERHEAD_BYTES;
      entries.set(key, { answer: { ...answer, storedAt }, expiresAt: storedAt + action.ttlSeconds * 1000, semantic, size });
      counters.stores++;
      if (!semantic || !entries.has(key)) return;
      let keys = partitions.get(semantic.partition);
      if (!keys) partitions.set(semantic.partition, (keys = new Set()));
      keys.add(key);
      for (const oldest of keys) {
        if (keys.size <= maxPerPartition) break;
        entries.delete(oldest);
      }
    },

    stats() {
      return { ...counters, entries: entries.size, bytes: entries.calculatedSize };
    },

    clear() {
      entries.clear();
      partitions.clear();
    },
  };
}
