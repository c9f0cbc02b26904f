import { CacheParamsSchema } from '../../shared/nodes/cache.js';
import type { CacheAction } from '../../shared/decision.js';
import { createResponseCache } from '../../server/cache/response-cache.js';
import type { LabelledPair } from '../../server/cache/semantic-quality.js';

export interface CacheBenchResult {
  /** Duplicates answered from the cache: share of duplicate pairs whose second question hit the first's answer. */
  duplicateHitRate: number;
  /** Wrong answers as a share of all hits. */
  wrongHitShare: number;
  /** Non-duplicates answered from the cache: share of non-duplicate pairs that hit. */
  falseHitRate: number;
  pairs: number;
}

const question = (text: string) => ({ model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: text }] });
const answer = (text: string) => ({
  body: { id: 'bench', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] },
  usage: null,
  model: 'gpt-4o-mini',
});

/**
 * Stores each pair's first question and looks up its second through the real response cache and
 * a semantic cache node (each pair in its own scope partition, so every hit has a label).
 */
export function scorePairs(pairs: readonly LabelledPair[], maxWrongHitRate: number): CacheBenchResult {
  const params = CacheParamsSchema.parse({ mode: 'semantic', scopeTags: ['pair'], maxWrongHitRate });
  const action: CacheAction = { type: 'cache', node: 'bench-cache', ...params };
  const cache = createResponseCache({ maxBytes: 1024 * 1024 * 1024 });
  pairs.forEach((p, i) => cache.store(action, { request: question(p.a), model: 'gpt-4o-mini', tags: { pair: String(i) } }, answer(`answer ${i}`)));
  let duplicates = 0;
  let hits = 0;
  let wrong = 0;
  pairs.forEach((p, i) => {
    if (p.duplicate) duplicates++;
    const hit = cache.lookup(action, { request: question(p.b), model: 'gpt-4o-mini', tags: { pair: String(i) } });
    if (!hit) return;
    hits++;
    if (!p.duplicate) wrong++;
  });
  const others = pairs.length - duplicates;
  return {
    duplicateHitRate: duplicates === 0 ? 0 : (hits - wrong) / duplicates,
    wrongHitShare: hits === 0 ? 0 : wrong / hits,
    falseHitRate: others === 0 ? 0 : wrong / others,
    pairs: pairs.length,
  };
}

export interface SharedPartitionResult {
  /** Lookups answered with their own pair's first question (labelled by the pair). */
  ownHits: number;
  ownWrong: number;
  /** Lookups answered with another pair's question: no label says whether that was right. */
  otherHits: number;
}

/** Every first question in one partition, as a FAQ cache holds them; then every second question looked up. */
export function scoreSharedPartition(pairs: readonly LabelledPair[], maxWrongHitRate: number): SharedPartitionResult {
  const params = CacheParamsSchema.parse({ mode: 'semantic', maxWrongHitRate });
  const action: CacheAction = { type: 'cache', node: 'bench-cache', ...params };
  const cache = createResponseCache({ maxBytes: 1024 * 1024 * 1024 });
  const owner = new Map<string, number>();
  pairs.forEach((p, i) => {
    cache.store(action, { request: question(p.a), model: 'gpt-4o-mini', tags: {} }, answer(`answer ${i}`));
    owner.set(`answer ${i}`, i);
  });
  const result: SharedPartitionResult = { ownHits: 0, ownWrong: 0, otherHits: 0 };
  pairs.forEach((p, i) => {
    const hit = cache.lookup(action, { request: question(p.b), model: 'gpt-4o-mini', tags: {} });
    if (!hit) return;
    const content = (hit.body.choices as { message: { content: string } }[])[0]!.message.content;
    const from = owner.get(content)!;
    if (from === i || pairs[from]!.a === p.a) {
      result.ownHits++;
      if (!p.duplicate) result.ownWrong++;
    } else result.otherHits++;
  });
  return result;
}
