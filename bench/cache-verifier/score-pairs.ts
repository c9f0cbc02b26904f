import { CacheParamsSchema } from '../../shared/nodes/cache.js';
import type { CacheAction } from '../../shared/decision.js';
import { createResponseCache, type CacheHit } from '../../server/cache/response-cache.js';
import type { LabelledPair } from '../../server/cache/semantic-quality.js';
import { hitJudge } from './hit-judge.js';

export interface CacheBenchResult {
  /** Duplicate pairs whose second question got a right answer from the cache, as a share of duplicate pairs. */
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
const contentOf = (body: Record<string, unknown>) => (body.choices as { message: { content: string } }[])[0]!.message.content;

function semanticAction(maxWrongHitRate: number, scopeTags: string[]): CacheAction {
  return { type: 'cache', node: 'bench-cache', ...CacheParamsSchema.parse({ mode: 'semantic', scopeTags, maxWrongHitRate }) };
}

interface Counts {
  duplicates: number;
  /** Duplicate pairs answered right. */
  answered: number;
  hits: number;
  wrong: number;
  falseHits: number;
}

function result(counts: Counts, pairs: number): CacheBenchResult {
  const others = pairs - counts.duplicates;
  return {
    duplicateHitRate: counts.duplicates === 0 ? 0 : counts.answered / counts.duplicates,
    wrongHitShare: counts.hits === 0 ? 0 : counts.wrong / counts.hits,
    falseHitRate: others === 0 ? 0 : counts.falseHits / others,
    pairs,
  };
}

/**
 * The bench's figure: every pair's first question stored in one partition, as a FAQ cache holds
 * them, through the real response cache and a semantic cache node; then every second question
 * looked up among all of them. A hit is right when the file's duplicate labels connect the
 * question served to the one asked (`hitJudge`); a near neighbour no label connects counts as wrong.
 */
export async function scorePairs(pairs: readonly LabelledPair[], maxWrongHitRate: number): Promise<CacheBenchResult> {
  const action = semanticAction(maxWrongHitRate, []);
  // The runtime's own arrangement: the index and verifier on a worker thread.
  const cache = createResponseCache({ maxBytes: 1024 * 1024 * 1024, semantic: { thread: 'worker' } });
  pairs.forEach((p, i) => cache.store(action, { request: question(p.a), model: 'gpt-4o-mini', tags: {} }, answer(String(i))));
  const right = hitJudge(pairs);
  const counts: Counts = { duplicates: 0, answered: 0, hits: 0, wrong: 0, falseHits: 0 };
  // One at a time, as requests arrive: a lookup's deadline runs from when it is asked.
  const hits: (CacheHit | null)[] = [];
  for (const p of pairs) hits.push(await cache.lookup(action, { request: question(p.b), model: 'gpt-4o-mini', tags: {} }));
  await cache.close();
  pairs.forEach((p, i) => {
    if (p.duplicate) counts.duplicates++;
    const hit = hits[i];
    if (!hit) return;
    counts.hits++;
    if (!p.duplicate) counts.falseHits++;
    // The answer names the pair whose first question it was stored for (pairs sharing one share its entry).
    if (!right(p.b, pairs[Number(contentOf(hit.body))]!.a)) counts.wrong++;
    else if (p.duplicate) counts.answered++;
  });
  return result(counts, pairs.length);
}

/** Each pair in its own scope partition, so a lookup sees only its own pair's first question (every hit has a label). */
export async function scoreOwnPartitions(pairs: readonly LabelledPair[], maxWrongHitRate: number): Promise<CacheBenchResult> {
  const action = semanticAction(maxWrongHitRate, ['pair']);
  const cache = createResponseCache({ maxBytes: 1024 * 1024 * 1024 });
  pairs.forEach((p, i) => cache.store(action, { request: question(p.a), model: 'gpt-4o-mini', tags: { pair: String(i) } }, answer(String(i))));
  const counts: Counts = { duplicates: 0, answered: 0, hits: 0, wrong: 0, falseHits: 0 };
  const hits = await Promise.all(pairs.map((p, i) => cache.lookup(action, { request: question(p.b), model: 'gpt-4o-mini', tags: { pair: String(i) } })));
  pairs.forEach((p, i) => {
    if (p.duplicate) counts.duplicates++;
    const hit = hits[i];
    if (!hit) return;
    counts.hits++;
    if (p.duplicate) counts.answered++;
    else {
      counts.wrong++;
      counts.falseHits++;
    }
  });
  return result(counts, pairs.length);
}
