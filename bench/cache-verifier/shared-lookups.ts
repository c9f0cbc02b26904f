import type { ScoredLookup } from '../../server/cache/error-bound-calibration.js';
import type { PairVerifier } from '../../server/cache/pair-verifier.js';
import { SemanticIndex } from '../../server/cache/semantic-index.js';
import type { LabelledPair } from '../../server/cache/semantic-quality.js';
import { hitJudge } from './hit-judge.js';

/**
 * What the cache would serve for each pair's second question with every first question stored in
 * one partition, as bench:cache scores it: the best candidate's verifier score, and whether serving
 * it is right (`hitJudge`: the file's duplicate labels connect the two). Thresholds are left to the caller.
 */
export function sharedPartitionLookups(options: {
  pairs: readonly LabelledPair[];
  verifier: PairVerifier;
  /** Pairs whose first questions are stored too but not looked up: a fuller cache has more near neighbours to confuse. */
  neighbours?: readonly LabelledPair[];
}): { lookups: ScoredLookup[]; duplicates: number } {
  const { pairs, verifier, neighbours = [] } = options;
  const index = new SemanticIndex(verifier);
  const right = hitJudge([...pairs, ...neighbours]);
  const keyOf = new Map<string, string>();
  const texts: string[] = [];
  for (const p of [...pairs, ...neighbours]) {
    if (keyOf.has(p.a)) continue;
    keyOf.set(p.a, String(texts.length));
    index.add(String(texts.length), 'all', p.a);
    texts.push(p.a);
  }
  const lookups: ScoredLookup[] = [];
  let duplicates = 0;
  for (const p of pairs) {
    if (p.duplicate) duplicates++;
    const match = index.match({ partition: 'all', text: p.b, threshold: 0 });
    if (match) lookups.push({ score: match.score, correct: right(p.b, texts[Number(match.key)]!) });
  }
  return { lookups, duplicates };
}
