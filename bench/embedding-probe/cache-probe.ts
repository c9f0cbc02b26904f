import { compiledProbability, compileTrees, type BoostedTrees } from '../../server/cache/boosted-trees.js';
import { CandidateIndex } from '../../server/cache/candidate-index.js';
import { calibrateErrorBound, type ScoredLookup } from '../../server/cache/error-bound-calibration.js';
import { pairFeatures, pairText, type PairText, type WordRarity } from '../../server/cache/pair-features.js';
import { rarityOf, type PairVerifier, type VerifierWeights } from '../../server/cache/pair-verifier.js';
import { DEFAULT_CANDIDATES } from '../../server/cache/semantic-index.js';
import type { LabelledPair } from '../../server/cache/semantic-quality.js';
import { foldOf, splitOf } from '../cache-verifier/pair-split.js';
import { sharedPartitionLookups } from '../cache-verifier/shared-lookups.js';
import { DEFAULT_BOOST, trainBoostedTrees } from '../cache-verifier/train-boosted-trees.js';
import { fitPca, project } from './pca.js';
import { dot, type EmbeddingStore } from './use-embeddings.js';

/**
 * Does an embedding help the cache's pair verifier? The verifier is trained as
 * `npm run train:cache-verifier` trains it (same folds, hard negatives, trees), once on its 32
 * features and once per variant with that variant's features appended, and each is scored by
 * cross-fitting on fit + calibrate. The test split is only read when `test` is set, after the decision.
 */
const FOLDS = 4;
const HARD_NEGATIVES = 2;
const NEAR_COPY_COSINE = 0.7;
export const MARKS = [0.02, 0.05, 0.1, 0.25] as const;

/** Texts whose embeddings the probe needs: every question, and its content words in order. */
export function cacheProbeTexts(pairs: readonly LabelledPair[]): string[] {
  const texts = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  return [...texts, ...texts.map((t) => contentText(pairText(t))).filter(Boolean)];
}

const contentText = (t: PairText) => t.sequence.join(' ');

/** Features appended to the lexical ones; `base` is those, in FEATURE_NAMES order; `rarity` the fold's word rarity. */
type Extra = (a: PairText, b: PairText, base: readonly number[], rarity: WordRarity) => number[];
/** A variant's extra features for a verifier fitted on these pairs; null: the lexical verifier alone. */
export type Variant = ((fitted: readonly LabelledPair[]) => Extra) | null;

export interface CurvePoint {
  answered: number;
  wrongShare: number;
}

export interface VariantResult {
  /** Wrong share of hits when this share of duplicates is answered (cross-fitted, lookups as bench:cache makes them). */
  curve: CurvePoint[];
  /** Duplicates answered at the 2% bound as the product calibrates it (Wilson upper bound, z = 1). */
  answeredAt2PercentBound: number;
  /** The most duplicates answered with at most 2% of hits wrong, threshold chosen in hindsight. */
  answeredAt2PercentHindsight: number;
}

/** The USE variants: cosines of the texts and of their content words; then also principal-component pair features. */
export function useVariants(pairs: readonly LabelledPair[], store: EmbeddingStore): Record<string, Variant> {
  const parsed = new Map<string, PairText>();
  const textOf = (s: string) => parsed.get(s) ?? (parsed.set(s, pairText(s)), parsed.get(s)!);
  // The index hands the verifier parsed texts; `spelled` names the text it was parsed from.
  const bySpelling = new Map<string, string>();
  for (const p of pairs) for (const t of [p.a, p.b]) if (!bySpelling.has(textOf(t).spelled)) bySpelling.set(textOf(t).spelled, t);
  const vector = (t: PairText) => store.get(bySpelling.get(t.spelled)!);
  const contentVector = (t: PairText) => (contentText(t) ? store.get(contentText(t)) : vector(t));
  const useFeatures: Extra = (a, b, base) => {
    const full = dot(vector(a), vector(b));
    const content = dot(contentVector(a), contentVector(b));
    // Where the sentence embedding and the n-gram cosine (feature 0) disagree is what USE adds.
    return [full, content, Math.min(full, content), full - base[0]!];
  };
  // Also the directions of the difference: |u − v| and u ⊙ v on 16 whitened principal components
  // of the questions the fold was fitted on (the InferSent pair features, shrunk to fit the trees).
  const withComponents = (fitted: readonly LabelledPair[]): Extra => {
    const pca = fitPca([...new Set(fitted.flatMap((p) => [p.a, p.b]))].map((t) => store.get(t)), 16, 9);
    const projected = new Map<string, number[]>();
    const of = (t: PairText) => projected.get(t.spelled) ?? (projected.set(t.spelled, project(pca, vector(t))), projected.get(t.spelled)!);
    return (a, b, base, rarity) => {
      const [u, v] = [of(a), of(b)];
      return [...useFeatures(a, b, base, rarity), ...u.map((x, k) => Math.abs(x - v[k]!)), ...u.map((x, k) => x * v[k]!)];
    };
  };
  return { lexical: null, lexicalPlusUse: () => useFeatures, lexicalPlusUseComponents: withComponents };
}

export function cacheProbe(options: { pairs: readonly LabelledPair[]; variants: Record<string, Variant>; test: boolean; log: (line: string) => void }) {
  const { pairs, variants, log } = options;
  const parsed = new Map<string, PairText>();
  const textOf = (s: string) => parsed.get(s) ?? (parsed.set(s, pairText(s)), parsed.get(s)!);
  const trainable = pairs.filter((p) => splitOf(p) !== 'test');
  const results: Record<string, VariantResult> = {};
  const verifiers: Record<string, PairVerifier> = {};
  for (const [name, variant] of Object.entries(variants)) {
    const lookups: ScoredLookup[] = [];
    let duplicates = 0;
    const nonDuplicates: { score: number; pair: LabelledPair }[] = [];
    for (let fold = 0; fold < FOLDS; fold++) {
      const held = trainable.filter((p) => foldOf(p, FOLDS) === fold);
      const fitted = trainable.filter((p) => foldOf(p, FOLDS) !== fold);
      const verifier = fitVerifier({ pairs: fitted, extra: variant?.(fitted) ?? null, textOf });
      const scored = sharedPartitionLookups({ pairs: held, verifier });
      lookups.push(...scored.lookups);
      duplicates += scored.duplicates;
      for (const p of held) if (!p.duplicate && splitOf(p) === 'fit') nonDuplicates.push({ score: verifier.score(textOf(p.b), textOf(p.a)), pair: p });
      log(`${name}: fold ${fold + 1}/${FOLDS} scored`);
    }
    results[name] = summarise(lookups, duplicates);
    log(`${name}: ${JSON.stringify(results[name])}`);
    log(`${name}: the 10 highest-scored non-duplicate pairs of the fit split (cross-fitted)`);
    for (const { score, pair } of nonDuplicates.sort((x, y) => y.score - x.score).slice(0, 10)) log(`  ${score.toFixed(3)}  ${JSON.stringify(pair.a)}  |  ${JSON.stringify(pair.b)}`);
    if (options.test) verifiers[name] = withCalibration(fitVerifier({ pairs: trainable, extra: variant?.(trainable) ?? null, textOf }), lookups, duplicates);
  }
  if (!options.test) return { crossFitted: results };
  const testPairs = pairs.filter((p) => splitOf(p) === 'test');
  const test = Object.fromEntries(
    Object.entries(verifiers).map(([name, verifier]) => {
      const { lookups, duplicates } = sharedPartitionLookups({ pairs: testPairs, verifier });
      const rows = [0.02, 0.05, 0.1, 0.2].map((rate) => {
        // As SemanticIndex.match: a bound nothing meets still serves the same words typed differently (score 1).
        const threshold = Math.min(verifier.thresholdFor(rate), 1);
        const hits = lookups.filter((l) => l.score >= threshold);
        const wrong = hits.filter((l) => !l.correct).length;
        return { maxWrongHitRate: rate, duplicateHitRate: round((hits.length - wrong) / duplicates), wrongHitShare: hits.length ? round(wrong / hits.length) : 0 };
      });
      return [name, rows];
    }),
  );
  return { crossFitted: results, test };
}

function summarise(lookups: readonly ScoredLookup[], duplicates: number): VariantResult {
  const sorted = [...lookups].sort((a, b) => b.score - a.score);
  const curve: CurvePoint[] = [];
  const marks = [...MARKS];
  let right = 0;
  let wrong = 0;
  let hindsight = 0;
  sorted.forEach((s, i) => {
    if (s.correct) right++;
    else wrong++;
    const tie = i + 1 < sorted.length && sorted[i + 1]!.score === s.score;
    if (!tie && wrong / (right + wrong) <= 0.02) hindsight = right / duplicates;
    while (marks.length > 0 && right / duplicates >= marks[0]!) curve.push({ answered: marks.shift()!, wrongShare: round(wrong / (right + wrong)) });
  });
  const bound = calibrateErrorBound(lookups, duplicates).find((r) => r.maxWrongHitRate === 0.02)!;
  return { curve, answeredAt2PercentBound: round(bound.duplicateHitRate), answeredAt2PercentHindsight: round(hindsight) };
}

function withCalibration(verifier: PairVerifier, lookups: readonly ScoredLookup[], duplicates: number): PairVerifier {
  const calibration = calibrateErrorBound(lookups, duplicates);
  return {
    ...verifier,
    calibration,
    thresholdFor: (rate) => calibration.filter((r) => r.maxWrongHitRate <= rate + 1e-12).at(-1)?.threshold ?? Number.POSITIVE_INFINITY,
  };
}

/** As bench/train-cache-verifier.ts fits it, with `extra` features appended to the 32 lexical ones. */
function fitVerifier(options: { pairs: readonly LabelledPair[]; extra: Extra | null; textOf: (s: string) => PairText }): PairVerifier {
  const { pairs, extra, textOf } = options;
  const rarity = rarityOf(buildRarity(pairs, textOf));
  const features = (a: PairText, b: PairText) => {
    const base = pairFeatures(a, b, rarity);
    return extra ? [...base, ...extra(a, b, base, rarity)] : base;
  };
  const terms = (t: PairText) => (t.content.size > 0 ? t.content : t.words);
  const stored = [...new Set(pairs.map((p) => p.a))];
  const index = new CandidateIndex();
  stored.forEach((a, i) => index.add(String(i), terms(textOf(a))));
  const x: number[][] = [];
  const y: number[] = [];
  for (const p of pairs) {
    const query = textOf(p.b);
    x.push(features(query, textOf(p.a)));
    y.push(p.duplicate ? 1 : 0);
    const others = index
      .candidates(terms(query), DEFAULT_CANDIDATES)
      .map((id) => stored[Number(id)]!)
      .filter((a) => a !== p.a && pairFeatures(query, textOf(a), rarity)[0]! < NEAR_COPY_COSINE);
    for (const other of others.slice(0, HARD_NEGATIVES)) {
      x.push(features(query, textOf(other)));
      y.push(0);
    }
  }
  const trees = compileTrees(trainBoostedTrees(x, y, DEFAULT_BOOST) as BoostedTrees);
  return {
    version: extra ? 'probe-extra' : 'probe-lexical',
    calibration: [],
    score: (a, b) => compiledProbability(trees, features(a, b)),
    thresholdFor: () => Number.POSITIVE_INFINITY,
  };
}

function buildRarity(pairs: readonly LabelledPair[], textOf: (s: string) => PairText): VerifierWeights['rarity'] {
  const questions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const df = new Map<string, number>();
  for (const q of questions) for (const w of textOf(q).content) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (count: number) => round(Math.log((questions.length + 1) / (count + 1)), 3);
  const words: Record<string, number> = {};
  for (const [w, count] of df) if (count >= 2) words[w] = idf(count);
  return { unseen: idf(1), words };
}

function round(x: number, digits = 4): number {
  return Number(x.toFixed(digits));
}
