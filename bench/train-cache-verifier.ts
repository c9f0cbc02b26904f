import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { BoostedTrees } from '../server/cache/boosted-trees.js';
import { CandidateIndex } from '../server/cache/candidate-index.js';
import { calibrateErrorBound, type ScoredLookup } from '../server/cache/error-bound-calibration.js';
import { FEATURE_NAMES, pairFeatures, pairText, type PairText } from '../server/cache/pair-features.js';
import { createPairVerifier, rarityOf, VERIFIER_WEIGHTS_FILE, type VerifierWeights } from '../server/cache/pair-verifier.js';
import { DEFAULT_CANDIDATES } from '../server/cache/semantic-index.js';
import type { LabelledPair } from '../server/cache/semantic-quality.js';
import { defaultPairsFile, readPairs, SPLIT_SEED, splitOf } from './cache-verifier/pair-split.js';
import { sharedPartitionLookups } from './cache-verifier/shared-lookups.js';
import { DEFAULT_BOOST, trainBoostedTrees, type BoostOptions } from './cache-verifier/train-boosted-trees.js';

/**
 * Rebuilds server/cache/verifier-weights.json (npm run train:cache-verifier): fits the pair
 * verifier on the `fit` part of the pairs, chooses the error bound's thresholds on the
 * `calibrate` part scored as bench:cache scores (every first question in one partition, so near
 * neighbours that are not the pair count as wrong; the fit part's first questions are stored too,
 * as more neighbours), and never reads the `test` part
 * (bench:cache --split test reports on that). Deterministic: the same file gives the same weights.
 */
const { values } = parseArgs({
  options: { pairs: { type: 'string', default: defaultPairsFile() }, out: { type: 'string' }, boost: { type: 'string' }, 'hard-negatives': { type: 'string', default: '2' } },
});
const boost: BoostOptions = { ...DEFAULT_BOOST, ...(values.boost ? (JSON.parse(values.boost) as Partial<BoostOptions>) : {}) };
/** Nearest wrong candidates per question used as extra negatives: what the cache actually confuses. */
const HARD_NEGATIVES = Number(values['hard-negatives']);
/** A candidate this close is often the same question asked twice, unlabelled: not a safe negative. */
const NEAR_COPY_COSINE = 0.7;

const all = readPairs(values.pairs!);
const fitPairs = all.filter((p) => splitOf(p) === 'fit');
const calibratePairs = all.filter((p) => splitOf(p) === 'calibrate');
const rarity = buildRarity(fitPairs);
const parsed = new Map<string, PairText>();
const textOf = (s: string) => parsed.get(s) ?? (parsed.set(s, pairText(s)), parsed.get(s)!);
const terms = (t: PairText) => (t.content.size > 0 ? t.content : t.words);

// Every distinct first question is stored once, as the cache would hold it.
const stored = [...new Set(fitPairs.map((p) => p.a))];
const index = new CandidateIndex();
stored.forEach((a, i) => index.add(String(i), terms(textOf(a))));

const x: number[][] = [];
const y: number[] = [];
for (const p of fitPairs) {
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
const uncalibrated: VerifierWeights = { version: 'qqp-gbt-2', features: [...FEATURE_NAMES], rarity, model, calibration: [], trainedOn: {} };
// The fit part's first questions are stored as well, so the bound is chosen in a cache holding 4,800 questions, not 1,200.
const { lookups, duplicates } = sharedPartitionLookups({ pairs: calibratePairs, verifier: createPairVerifier(uncalibrated), neighbours: fitPairs });
const calibration = calibrateErrorBound(lookups, duplicates);
printCurve(lookups, duplicates);
const weights: VerifierWeights = {
  ...uncalibrated,
  calibration: calibration.map((r) => ({ ...r, threshold: round(r.threshold, 6), duplicateHitRate: round(r.duplicateHitRate, 4), wrongHitShare: round(r.wrongHitShare, 4) })),
  trainedOn: { data: 'qqp/pairs.jsonl', split: SPLIT_SEED, fitPairs: fitPairs.length, calibratePairs: calibratePairs.length, testPairs: all.length - fitPairs.length - calibratePairs.length, examples: x.length },
};
writeFileSync(values.out ?? VERIFIER_WEIGHTS_FILE, `${JSON.stringify(weights)}\n`);
console.log('maxWrongHitRate  threshold  duplicateHitRate  wrongHitShare   (calibrate part, one shared partition)');
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

/** Wrong-hit share at a few hit rates on the calibrate part, to see how far the bound is from the data. */
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
