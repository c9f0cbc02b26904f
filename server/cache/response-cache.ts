import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CacheAction } from '../../shared/decision.js';
import type { Usage } from '../providers/provider.js';
import { exactKey, semanticQuery, type CacheInput } from './cache-key.js';
import { shippedVerifier, type PairVerifier } from './pair-verifier.js';
import { inlineMatcher, type SemanticMatcher } from './semantic-matcher.js';
import { workerMatcher, type WorkerMatcherOptions } from './semantic-worker-matcher.js';
import { WarmTier, type WarmRecord } from './warm-tier.js';

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
  /** 1 for an exact hit; the pair verifier's P(same question) for a semantic one. */
  similarity: number;
  /** A semantic hit's id (the request id on the runtime's path), for `recordHitOutcome` once someone knows whether the answer was right. */
  hitId?: string;
}

export interface ResponseCacheOptions {
  maxEntries?: number;
  /** The hot tier's bound: bodies (and their index) held in memory, in bytes of their JSON. */
  maxBytes?: number;
  /** Larger answers are not cached. */
  maxEntryBytes?: number;
  /** The warm tier on disk; absent, the cache lives in memory only. */
  warm?: { dir: string; maxBytes: number };
  /** Inline (the default) scores on the caller's thread with `verifier`; the runtime's worker, off its event loop with the shipped verifier. */
  semantic?: { thread: 'inline'; verifier?: PairVerifier } | ({ thread: 'worker' } & WorkerMatcherOptions);
  now?: () => number;
}

export interface CacheStats {
  hits: number;
  semanticHits: number;
  misses: number;
  stores: number;
  /** Answers held in memory (hot tier). */
  entries: number;
  bytes: number;
  /** Answers held on disk (warm tier). */
  warmEntries: number;
  warmBytes: number;
}

export interface ResponseCache {
  /** `hitId` names a semantic hit for `recordHitOutcome` (the runtime passes the request id); a random one otherwise. */
  lookup(action: CacheAction, input: CacheInput, hitId?: string): Promise<CacheHit | null>;
  store(action: CacheAction, input: CacheInput, answer: Omit<CachedAnswer, 'storedAt'>): void;
  /**
   * Feedback on a semantic hit: was the served answer right for the question asked? It moves the
   * entry's own threshold (vCache-style). False when the hit or its entry is no longer known.
   */
  recordHitOutcome(hitId: string, correct: boolean): boolean;
  stats(): CacheStats;
  clear(): void;
  /** Stops the semantic index worker, if one runs. */
  close(): Promise<void>;
}

/** A semantic match on a question another instance stored: its answer is fetched from where that instance put it. */
export interface SharedMatch {
  match: 'shared';
  key: string;
  score: number;
  hitId: string;
}

/** A semantic entry stored by another instance: the question (partition and text) to match; its answer stays in the shared tier. */
export interface AdoptedEntry {
  key: string;
  partition: string;
  text: string;
  /** Epoch ms. */
  storedAt: number;
  expiresAt: number;
}

/** This instance's own cache. */
export interface LocalResponseCache extends ResponseCache {
  /** As lookup, but a semantic match may also land on an adopted entry whose answer is not held here. */
  lookupWithShared(action: CacheAction, input: CacheInput, hitId?: string): Promise<CacheHit | SharedMatch | null>;
  /** Indexes another instance's semantic entry; it takes room in the hot tier's bytes like an answer does. */
  adopt(entry: AdoptedEntry): void;
  /** Keeps the answer of an adopted entry once fetched, so its next hit is answered here. */
  keepAnswer(key: string, answer: CachedAnswer): void;
  /** Forgets an adopted entry whose answer is gone. */
  forget(key: string): void;
  /** The entry and score a semantic hit was served at, while it can still be judged. */
  hitOf(hitId: string): { key: string; score: number } | undefined;
  /** Another instance's verdict on a hit it served from this entry; false when the entry is not held here. */
  recordEntryOutcome(key: string, score: number, correct: boolean): boolean;
  /** The verdicts on an entry kept in the shared tier, for an entry without any here; false when it is not held or has its own. */
  restoreEntryOutcomes(key: string, outcomes: readonly { score: number; correct: boolean }[]): boolean;
}

interface Entry {
  /** Null for an adopted entry whose answer lives in the shared tier. */
  answer: CachedAnswer | null;
  storedAt: number;
  expiresAt: number;
  size: number;
}

/** Per-entry bookkeeping besides the body: keys, usage, timestamps, the parsed question. */
const ENTRY_OVERHEAD_BYTES = 512;
/** Semantic hits remembered for feedback; older ones can no longer be judged. */
const MAX_PENDING_HITS = 10_000;
/** finish_reason values of answers worth serving again; a filtered or failed one is not. */
const SERVABLE_FINISH = new Set(['stop', 'tool_calls', 'function_call', 'length', undefined, null]);

/** Only a complete, successful chat completion (or a list of embeddings) is kept: an error body, no choices or a filtered answer is not. */
export function servable(body: Record<string, unknown>): boolean {
  if (body.object === 'list') return Array.isArray(body.data) && body.data.length > 0;
  if (body.error !== undefined || !Array.isArray(body.choices) || body.choices.length === 0) return false;
  return body.choices.every((c: unknown) => typeof c === 'object' && c !== null && SERVABLE_FINISH.has((c as { finish_reason?: string | null }).finish_reason));
}

/**
 * The response cache: a hot tier in memory (an LRU by recency of use, bounded in bytes) over an
 * optional warm tier on disk (bounded in bytes, survives a restart). Exact mode matches the
 * request byte for byte (after canonicalisation). Semantic mode also serves an answer to a
 * differently worded last user message in the same conversation, model, parameters and scope
 * partition when the pair verifier, at the threshold calibrated for the node's maximum wrong-hit
 * rate, says the two ask the same thing. Policies without a semantic node never parse or index text.
 */
export function createResponseCache(options: ResponseCacheOptions = {}): LocalResponseCache {
  const now = options.now ?? Date.now;
  const counters = { hits: 0, semanticHits: 0, misses: 0, stores: 0 };
  let semanticIndex: SemanticMatcher | null = null;
  const semanticOptions = options.semantic ?? { thread: 'inline' };
  const semantic = () =>
    (semanticIndex ??= semanticOptions.thread === 'worker' ? workerMatcher(semanticOptions) : inlineMatcher(semanticOptions.verifier ?? shippedVerifier()));
  const pendingHits = new LRUCache<string, { key: string; score: number }>({ max: MAX_PENDING_HITS });

  /** Drops a key from the semantic index once neither tier holds its answer. */
  const forgetIfGone = (key: string) => {
    if (!hot.has(key) && !warm?.has(key)) semanticIndex?.remove(key);
  };

  const hot = new LRUCache<string, Entry>({
    max: options.maxEntries ?? 100_000,
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    maxEntrySize: options.maxEntryBytes ?? 1024 * 1024,
    sizeCalculation: (entry) => entry.size,
    dispose: (_entry, key, reason) => {
      if (reason !== 'set') queueMicrotask(() => forgetIfGone(key));
    },
  });

  let warm: WarmTier | null = null;
  if (options.warm) {
    const opened = WarmTier.open({ ...options.warm, now, onDrop: (key) => forgetIfGone(key) });
    warm = opened.tier;
    for (const record of opened.records) if (record.semantic) semantic().add(record.key, record.semantic.partition, record.semantic.text);
  }

  /** A live entry from either tier (a warm one is promoted to hot), or undefined. */
  function live(key: string, ttlSeconds: number): Entry | undefined {
    let entry = hot.get(key);
    if (!entry && warm) {
      const record = warm.read(key);
      if (record) {
        entry = { answer: record.answer, storedAt: record.answer.storedAt, expiresAt: record.expiresAt, size: sizeOf(record.answer.body, record.semantic !== null) };
        hot.set(key, entry);
      }
    }
    if (!entry) return undefined;
    const at = now();
    if (at >= entry.expiresAt) {
      hot.delete(key);
      warm?.delete(key);
      semanticIndex?.remove(key);
      return undefined;
    }
    return at < entry.storedAt + ttlSeconds * 1000 ? entry : undefined;
  }

  async function lookupSemantic(action: CacheAction, input: CacheInput, options: { id: string | undefined; withShared: boolean }): Promise<CacheHit | SharedMatch | null> {
    const query = semanticQuery(action, input);
    if (!query) return null;
    const found = await semantic().matches({ partition: query.partition, text: query.text, maxWrongHitRate: action.maxWrongHitRate });
    for (const match of found) {
      // Checked after the answer comes back: an entry may have expired or gone meanwhile.
      const entry = live(match.key, action.ttlSeconds);
      if (!entry || (!options.withShared && entry.answer === null)) continue;
      const hitId = options.id ?? randomUUID();
      pendingHits.set(hitId, match);
      if (!entry.answer) return { match: 'shared', key: match.key, score: match.score, hitId };
      return { ...entry.answer, match: 'semantic', similarity: match.score, hitId };
    }
    return null;
  }

  async function find(action: CacheAction, input: CacheInput, options: { id: string | undefined; withShared: boolean }): Promise<CacheHit | SharedMatch | null> {
    const exact = live(exactKey(action, input), action.ttlSeconds);
    if (exact?.answer) {
      counters.hits++;
      return { ...exact.answer, match: 'exact', similarity: 1 };
    }
    const hit = action.mode === 'semantic' ? await lookupSemantic(action, input, options) : null;
    // A shared match counts as a miss here, like any lookup the shared tier then answers.
    if (hit && hit.match !== 'shared') {
      counters.hits++;
      counters.semanticHits++;
    } else counters.misses++;
    return hit;
  }

  return {
    async lookup(action, input, hitId) {
      return (await find(action, input, { id: hitId, withShared: false })) as CacheHit | null;
    },

    lookupWithShared(action, input, hitId) {
      return find(action, input, { id: hitId, withShared: true });
    },

    adopt(adopted) {
      const held = hot.peek(adopted.key);
      if (held?.answer || warm?.has(adopted.key)) return;
      if (adopted.expiresAt <= now()) return;
      const size = adopted.text.length + 2 * ENTRY_OVERHEAD_BYTES;
      if (size > (options.maxEntryBytes ?? 1024 * 1024)) return;
      hot.set(adopted.key, { answer: null, storedAt: adopted.storedAt, expiresAt: adopted.expiresAt, size });
      // Re-adding would drop the outcomes the entry has gathered here.
      if (hot.has(adopted.key) && !semanticIndex?.has(adopted.key)) semantic().add(adopted.key, adopted.partition, adopted.text);
    },

    keepAnswer(key, answer) {
      const held = hot.peek(key);
      if (!held || held.answer) return;
      const size = sizeOf(answer.body, true);
      if (size <= (options.maxEntryBytes ?? 1024 * 1024)) hot.set(key, { ...held, answer, size });
    },

    forget(key) {
      if (hot.peek(key)?.answer !== null) return;
      hot.delete(key);
      semanticIndex?.remove(key);
    },

    hitOf(hitId) {
      return pendingHits.get(hitId);
    },

    recordEntryOutcome(key, score, correct) {
      return semanticIndex?.recordOutcome(key, score, correct) ?? false;
    },

    restoreEntryOutcomes(key, outcomes) {
      return semanticIndex?.restoreOutcomes(key, outcomes) ?? false;
    },

    store(action, input, answer) {
      if (!servable(answer.body)) return;
      const key = exactKey(action, input);
      const query = action.mode === 'semantic' ? semanticQuery(action, input) : null;
      const storedAt = now();
      const entry: Entry = { answer: { ...answer, storedAt }, storedAt, expiresAt: storedAt + action.ttlSeconds * 1000, size: sizeOf(answer.body, query !== null) };
      if (entry.size > (options.maxEntryBytes ?? 1024 * 1024)) return;
      hot.set(key, entry);
      const record: WarmRecord = { v: 1, key, expiresAt: entry.expiresAt, answer: { ...answer, storedAt }, semantic: query ? { partition: query.partition, text: query.text } : null };
      warm?.write(record);
      counters.stores++;
      if (query && (hot.has(key) || warm?.has(key))) semantic().add(key, query.partition, query.text);
    },

    recordHitOutcome(hitId, correct) {
      const hit = pendingHits.get(hitId);
      if (!hit || !semanticIndex) return false;
      pendingHits.delete(hitId);
      return semanticIndex.recordOutcome(hit.key, hit.score, correct);
    },

    stats() {
      return { ...counters, entries: hot.size, bytes: hot.calculatedSize, warmEntries: warm?.size ?? 0, warmBytes: warm?.calculatedBytes ?? 0 };
    },

    clear() {
      hot.clear();
      warm?.clear();
      semanticIndex?.clear();
      pendingHits.clear();
    },

    async close() {
      await semanticIndex?.close();
    },
  };
}

function sizeOf(body: Record<string, unknown>, semantic: boolean): number {
  return JSON.stringify(body).length + ENTRY_OVERHEAD_BYTES + (semantic ? ENTRY_OVERHEAD_BYTES : 0);
}
