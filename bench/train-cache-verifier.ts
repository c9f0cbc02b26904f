import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { boostedProbability, type BoostedTrees } from '../server/cache/boosted-trees.js';
import { CandidateIndex } from '../server/cache/candidate-index.js';
import { calibrateErrorBound, type ScoredLookup } from '../server/cache/error-bound-calibration.js';
import { FEATURE_NAMES, pairFeatures, pairText, type PairText } from '../server/cache/pair-features.js';
import { rarityOf, VERIFIER_WEIGHTS_FILE, type VerifierWeights } from '../server/cache/pair-verifier.js';
import { DEFAULT_CANDIDATES } from '../server/cache/semantic-index.js';
import type { LabelledPair } from '../server/cache/semantic-quality.js';
import { defaultPairsFile, foldOf, readPairs, SPLIT_SEED, splitOf } from './cache-verifier/pair-split.js';
import { DEFAULT_BOOST, trainBoostedTrees, type BoostOptions } from './cache-verifier/train-boosted-trees.js';

/**
 * Rebuilds server/cache/verifier-weights.json (npm run train:cache-verifier): fits the pair
 * verifier on the training part of the pairs, calibrates its error bound on out-of-fold scores of
 * the same part (5 folds), and never reads the held-out test part (bench:cache --split test
 * reports on that). Deterministic: the same file gives the same weights.
 */
const { values } = parseArgs({ options: { pairs: { type: 'string', default: defaultPairsFile() }, out: { type: 'string' }, boost: { type: 'string' } } });
const boost: BoostOptions = { ...DEFAULT_BOOST, ...(values.boost ? (JSON.parse(values.boost) as Partial<BoostOptions>) : {}) };
const FOLDS = 5;
/** Nearest wrong candidates per question used as extra negatives: what the cache actually confuses. */
const HARD_NEGATIVES = 1;
/** A candidate this close is often the same question asked twice, unlabelled: not a safe negative. */
const NEAR_COPY_COSINE = 0.7;

const all = readPairs(values.pairs!);
const pool = all.filter((p) => splitOf(p) === 'train');
const rarity = buildRarity(pool);
const parsed = new Map<string, PairText>();
const textOf = (s: string) => parsed.get(s) ?? (parsed.set(s, pairText(s)), parsed.get(s)!);
const terms = (t: PairText) => (t.content.size > 0 ? t.content : t.words);

// Every distinct first question is stored once, as the cache would hold it.
const stored = [...new Set(pool.map((p) => p.a))];
const index = new CandidateIndex();
stored.forEach((a, i) => index.add(String(i), terms(textOf(a))));
const candidatesOf = new Map<string, string[]>();
for (const p of pool) candidatesOf.set(p.b, index.candidates(terms(textOf(p.b)), DEFAULT_CANDIDATES).map((id) => stored[Number(id)]!));

interface Example {
  x: number[];
  y: number;
  fold: number;
}
const examples: Example[] = [];
for (const p of pool) {
  const fold = foldOf(p, FOLDS);
  examples.push({ x: features(p.b, p.a), y: p.duplicate ? 1 : 0, fold });
  const others = candidatesOf.get(p.b)!.filter((a) => a !== p.a && features(p.b, a)[0]! < NEAR_COPY_COSINE);
  for (const other of others.slice(0, HARD_NEGATIVES)) examples.push({ x: features(p.b, other), y: 0, fold });
}

// Calibrated as the bench scores: each pair on its own (its first question stored, its second
// looked up), so every hit has a label; out-of-fold, so no pair is scored by a model fitted on it.
const lookups: ScoredLookup[] = [];
let duplicates = 0;
for (let fold = 0; fold < FOLDS; fold++) {
  const fitted = examples.filter((e) => e.fold !== fold);
  const model = trainBoostedTrees(
    fitted.map((e) => e.x),
    fitted.map((e) => e.y),
    boost,
  );
  for (const p of pool.filter((q) => foldOf(q, FOLDS) === fold)) {
    if (p.duplicate) duplicates++;
    lookups.push({ score: boostedProbability(model, features(p.b, p.a)), correct: p.duplicate });
  }
  console.error(`fold ${fold + 1}/${FOLDS} done`);
}

const calibration = calibrateErrorBound(lookups, duplicates);
printCurve(lookups, duplicates);
const model = trainBoostedTrees(
  examples.map((e) => e.x),
  examples.map((e) => e.y),
  boost,
);
const weights: VerifierWeights = {
  version: 'qqp-gbt-1',
  features: [...FEATURE_NAMES],
  rarity,
  model: roundModel(model),
  calibration: calibration.map((r) => ({ ...r, threshold: round(r.threshold, 6), duplicateHitRate: round(r.duplicateHitRate, 4), wrongHitShare: round(r.wrongHitShare, 4) })),
  trainedOn: { data: 'qqp/pairs.jsonl', split: SPLIT_SEED, trainPairs: pool.length, heldOutPairs: all.length - pool.length, examples: examples.length, folds: FOLDS },
};
writeFileSync(values.out ?? VERIFIER_WEIGHTS_FILE, `${JSON.stringify(weights)}\n`);
console.log('maxWrongHitRate  threshold  duplicateHitRate  wrongHitShare   (out-of-fold, training part)');
for (const r of calibration) console.log(`${r.maxWrongHitRate.toFixed(3).padStart(15)}  ${r.threshold.toFixed(4).padStart(9)}  ${(r.duplicateHitRate * 100).toFixed(1).padStart(15)}%  ${(r.wrongHitShare * 100).toFixed(2).padStart(12)}%`);

function features(query: string, candidate: string): number[] {
  return pairFeatures(textOf(query), textOf(candidate), rarityOf(rarity));
}

function buildRarity(pairs: readonly LabelledPair[]): VerifierWeights['rarity'] {
  const questions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const df = new Map<string, number>();
  for (const q of questions) for (const w of pairText(q).content) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (count: number) => round(Math.log((questions.length + 1) / (count + 1)), 3);
  const words: Record<string, number> = {};
  for (const [w, count] of [...df].sort(([a], [b]) => (a < b ? -1 : 1))) if (count >= 2) words[w] = idf(count);
  return { unseen: idf(1), words };
}

function roundModel(m: BoostedTrees): BoostedTrees {
  return { base: round(m.base, 6), trees: m.trees.map((t) => ({ ...t, v: t.v.map((v) => round(v, 6)) })) };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Wrong-hit share at a few hit rates (out-of-fold), to see how far the bound is from the data. */
function printCurve(scored: readonly ScoredLookup[], dups: number): void {
  const sorted = [...scored].sort((a, b) => b.score - a.score);
  const marks = [0.02, 0.05, 0.1, 0.15, 0.25];
  let right = 0;
  let wrong = 0;
  for (const s of sorted) {
    if (s.correct) right++;
    else wrong++;
    if (marks.length > 0 && right / dups >= marks[0]!) {
      console.error(`at ${(marks.shift()! * 100).toFixed(0)}% of duplicates answered: ${((wrong / (right + wrong)) * 100).toFixed(1)}% of hits wrong (score ${s.score.toFixed(3)})`);
    }
  }
}
