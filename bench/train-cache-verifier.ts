import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BoostedTrees } from '../server/cache/boosted-trees.js';
import { CandidateIndex } from '../server/cache/candidate-index.js';
import { CALIBRATION_Z, calibrateErrorBound, type ScoredLookup } from '../server/cache/error-bound-calibration.js';
import { FEATURE_NAMES, pairFeatures, pairText, type PairText } from '../server/cache/pair-features.js';
import { createPairVerifier, rarityOf, VERIFIER_WEIGHTS_FILE, type VerifierWeights } from '../server/cache/pair-verifier.js';
import { DEFAULT_CANDIDATES } from '../server/cache/semantic-index.js';
import type { LabelledPair } from '../server/cache/semantic-quality.js';
import { defaultPairsFile, foldOf, readPairs, SPLIT_SEED, splitOf } from './cache-verifier/pair-split.js';
import { sharedPartitionLookups } from './cache-verifier/shared-lookups.js';
import { DEFAULT_BOOST, trainBoostedTrees, type BoostOptions } from './cache-verifier/train-boosted-trees.js';

/**
 * Rebuilds server/cache/verifier-weights.json (npm run train:cache-verifier). The thresholds of
 * the error bound come from cross-fitted scores: the fit and calibrate parts together are cut into
 * FOLDS folds by a hash of each pair; each fold is scored, as bench:cache scores (its first
 * questions in one partition, so near neighbours that are not the pair count as wrong), by trees
 * fitted on the other folds. The shipped trees are then fitted on all of both parts. The `test`
 * part is never read (bench:cache --split test reports on that). Deterministic: the same file
 * gives the same weights.
 */
const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: defaultPairsFile() },
    out: { type: 'string' },
    boost: { type: 'string' },
    'hard-negatives': { type: 'string', default: '2' },
    folds: { type: 'string', default: '4' },
  },
});
const boost: BoostOptions = { ...DEFAULT_BOOST, ...(values.boost ? (JSON.parse(values.boost) as Partial<BoostOptions>) : {}) };
/** Nearest wrong candidates per question used as extra negatives: what the cache actually confuses. */
const HARD_NEGATIVES = Number(values['hard-negatives']);
/** Four folds of ~1,200 pairs: each scored in a partition as full as the bench's test split. */
const FOLDS = Number(values.folds);
/** A candidate this close is often the same question asked twice, unlabelled: not a safe negative. */
const NEAR_COPY_COSINE = 0.7;

const all = readPairs(values.pairs!);
const trainable = all.filter((p) => splitOf(p) !== 'test');
const parsed = new Map<string, PairText>();
const textOf = (s: string) => parsed.get(s) ?? (parsed.set(s, pairText(s)), parsed.get(s)!);
const terms = (t: PairText) => (t.content.size > 0 ? t.content : t.words);

const lookups: ScoredLookup[] = [];
let duplicates = 0;
for (let fold = 0; fold < FOLDS; fold++) {
  const held = trainable.filter((p) => foldOf(p, FOLDS) === fold);
  const verifier = createPairVerifier(fitVerifier(trainable.filter((p) => foldOf(p, FOLDS) !== fold)).weights);
  const scored = sharedPartitionLookups({ pairs: held, verifier });
  lookups.push(...scored.lookups);
  duplicates += scored.duplicates;
}
const calibration = calibrateErrorBound(lookups, duplicates);
printCurve(lookups, duplicates);
const final = fitVerifier(trainable);
const weights: VerifierWeights = {
  ...final.weights,
  calibration: calibration.map((r) => ({ ...r, threshold: round(r.threshold, 6), duplicateHitRate: round(r.duplicateHitRate, 4), wrongHitShare: round(r.wrongHitShare, 4) })),
  trainedOn: { data: 'qqp/pairs.jsonl', split: SPLIT_SEED, fitPairs: trainable.length, crossFitFolds: FOLDS, calibrationZ: CALIBRATION_Z, testPairs: all.length - trainable.length, examples: final.examples },
};
writeFileSync(values.out ?? VERIFIER_WEIGHTS_FILE, `${JSON.stringify(weights)}\n`);
console.log(`maxWrongHitRate  threshold  duplicateHitRate  wrongHitShare   (cross-fitted, ${FOLDS} folds of fit+calibrate, each in one shared partition)`);
for (const r of calibration) console.log(`${r.maxWrongHitRate.toFixed(3).padStart(15)}  ${r.threshold.toFixed(4).padStart(9)}  ${(r.duplicateHitRate * 100).toFixed(1).padStart(15)}%  ${(r.wrongHitShare * 100).toFixed(2).padStart(12)}%`);

/** Trees and word rarity fitted on these pairs, uncalibrated; with each second question's nearest wrong stored questions as extra negatives. */
function fitVerifier(pairs: readonly LabelledPair[]): { weights: VerifierWeights; examples: number } {
  const rarity = buildRarity(pairs);
  const features = (query: string, candidate: string) => pairFeatures(textOf(query), textOf(candidate), rarityOf(rarity));
  // Every distinct first question is stored once, as the cache would hold it.
  const stored = [...new Set(pairs.map((p) => p.a))];
  const index = new CandidateIndex();
  stored.forEach((a, i) => index.add(String(i), terms(textOf(a))));
  const x: number[][] = [];
  const y: number[] = [];
  for (const p of pairs) {
    x.push(features(p.b, p.a));
    y.push(p.duplicate ? 1 : 0);
    const others = index
      .candidates(terms(textOf(p.b)), DEFAULT_CANDIDATES)
      .map((id) => stored[Number(id)]!)
      .filter((a) => a !== p.a && features(p.b, a)[0]! < NEAR_COPY_COSINE);
    for (const other of others.slice(0, HARD_NEGATIVES)) {
      x.push(features(p.b, other));
      y.push(0);
    }
  }
  const model = roundModel(trainBoostedTrees(x, y, boost));
  return { weights: { version: 'qqp-gbt-3', features: [...FEATURE_NAMES], rarity, model, calibration: [], trainedOn: {} }, examples: x.length };
}

function buildRarity(pairs: readonly LabelledPair[]): VerifierWeights['rarity'] {
  const questions = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  const df = new Map<string, number>();
  for (const q of questions) for (const w of textOf(q).content) df.set(w, (df.get(w) ?? 0) + 1);
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

/** Wrong-hit share at a few hit rates on the cross-fitted scores, to see how far the bound is from the data. */
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
