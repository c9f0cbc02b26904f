import { cosine, embed, type EmbeddingWeights } from './text-embedding.js';

/** A labelled question pair, as in the Quora Question Pairs set. */
export interface LabelledPair {
  a: string;
  b: string;
  duplicate: boolean;
}

export interface ThresholdQuality {
  threshold: number;
  /** Share of duplicate pairs a semantic cache would answer from the other question. */
  hitRate: number;
  /** Share of non-duplicate pairs it would wrongly answer from the other question. */
  falseHitRate: number;
  duplicates: number;
  nonDuplicates: number;
}

/** The cosine of each pair's embeddings. */
export function pairSimilarities(pairs: readonly LabelledPair[], weights?: EmbeddingWeights): { similarity: number; duplicate: boolean }[] {
  return pairs.map((p) => ({ similarity: cosine(embed(p.a, weights), embed(p.b, weights)), duplicate: p.duplicate }));
}

/** Hit and false-hit rates of the semantic cache's embedding at each threshold (a hit: similarity ≥ threshold). */
export function semanticCacheQuality(pairs: readonly LabelledPair[], thresholds: readonly number[], weights?: EmbeddingWeights): ThresholdQuality[] {
  const scored = pairSimilarities(pairs, weights);
  const duplicates = scored.filter((s) => s.duplicate);
  const others = scored.filter((s) => !s.duplicate);
  const share = (list: typeof scored, t: number) => (list.length === 0 ? 0 : list.filter((s) => s.similarity >= t).length / list.length);
  return thresholds.map((threshold) => ({
    threshold,
    hitRate: share(duplicates, threshold),
    falseHitRate: share(others, threshold),
    duplicates: duplicates.length,
    nonDuplicates: others.length,
  }));
}
