/**
 * `npm run train:answer-check [-- --gsm8k FILE]`: fits the answer check (does a cheap model's
 * worked answer look wrong?) and writes server/routing/answer-check-weights.json and
 * shared/routing/answer-check-calibration.json. Seeded and deterministic.
 *
 * Protocol (every figure printed is on prompts the model being scored did not see):
 * 0. A seeded fifth of the GSM8K prompts is sealed: no fit, threshold or choice sees it; the
 *    last table scores it once with exactly what ships.
 * 1. The other prompts (the recorded cheap answers are the training data; contaminated prompts
 *    are left out) are dealt into 5 random folds; each fold is scored by a model fitted on the
 *    other four (out-of-fold scores).
 * 2. The knob's table (quality target -> check threshold) comes from those scores: the highest
 *    threshold that keeps the target on them and in 90% of 200 resamples of the prompts (80%
 *    before ac1 at 0.9: the sealed fifth landed 1.6 points under the 95% target).
 * 3. The held-out report re-does step 2 per fold without that fold and scores the fold with it.
 * 4. The shipped model is fitted on all unsealed prompts; the table from step 2 goes with it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { AnswerCheckCalibration, AnswerCheckRow } from '../shared/routing/answer-check-calibration.js';
import { ROUTER_CALIBRATION, calibrationFor } from '../shared/routing/router-calibration.js';
import { ANSWER_CHECK_FEATURES, answerCheckFeatures } from '../server/routing/answer-check-features.js';
import type { AnswerCheckWeights } from '../server/routing/answer-check-model.js';
import type { SparseVector } from '../server/routing/router-features.js';
import { linearScore, sigmoid } from '../server/routing/router-model.js';
import { benchDataDir, REPO } from './router/data-dir.js';
import { calibrateThreshold, leastPremiumShare, operatingPoint, type Scored } from './router/calibrate.js';
import { trainLogistic, type LinearModel } from './router/logistic.js';
import { loadGsm8k, type RoutingSample } from './router/routing-data.js';
import { shuffled } from './router/seeded.js';

const { values: args } = parseArgs({
  options: { gsm8k: { type: 'string', default: path.join(benchDataDir(), 'routellm', 'gsm8k_responses.csv') } },
});

const SEED = 20261204;
const FOLDS = 5;
const L2 = 1e-3;
const ITERATIONS = 400;
const LEARNING_RATE = 0.05;
const TARGETS = Array.from({ length: 21 }, (_, i) => 80 + i);
const CONFIDENCE = 0.9;
const RESAMPLES = 200;
/** Check scores are probabilities: 2 is "never ask again", -1 "always". */
const NEVER = 2;
const ALWAYS = -1;

interface Item extends RoutingSample {
  fold: number;
  x: SparseVector;
}

const dense = (values: number[]): SparseVector => ({ indices: values.map((_, j) => j), values });

const samples = shuffled(loadGsm8k(args.gsm8k!), SEED).filter((s) => s.cheapAnswer !== undefined);
if (samples.length < 50) throw new Error(`${args.gsm8k}: ${samples.length} prompts with a recorded cheap answer; the answer check needs the answer columns`);
const SEALED_EVERY = 5;
const all: Item[] = samples.map((s, i) => ({ ...s, group: `gsm8k-${i}`, fold: Math.floor(i / SEALED_EVERY) % FOLDS, x: dense(answerCheckFeatures(s.prompt, s.cheapAnswer!)) }));
const sealed = all.filter((_, i) => i % SEALED_EVERY === 0);
const items = all.filter((_, i) => i % SEALED_EVERY !== 0);
console.log(`${all.length} GSM8K prompts with the cheap model's recorded answer (${sealed.length} sealed for the last table); cheap right ${pct(share(all, (s) => s.cheapRight))}, strong right ${pct(share(all, (s) => s.strongRight))}`);

function fit(train: readonly Item[]): LinearModel {
  return trainLogistic({ xs: train.map((it) => it.x), ys: train.map((it) => (it.cheapRight ? 0 : 1)), dim: ANSWER_CHECK_FEATURES.length, l2: L2, iterations: ITERATIONS, learningRate: LEARNING_RATE });
}

const oof: Scored[] = new Array(items.length);
for (let f = 0; f < FOLDS; f++) {
  const model = fit(items.filter((it) => it.fold !== f));
  items.forEach((it, i) => {
    if (it.fold === f) oof[i] = { score: sigmoid(linearScore(model, it.x)), cheapRight: it.cheapRight, strongRight: it.strongRight, group: it.group, family: 'gsm8k' };
  });
}

function thresholdFor(scored: readonly Scored[], target: number, confidence = CONFIDENCE): number {
  const raw = calibrateThreshold({ items: scored, target: target / 100, resamples: RESAMPLES, confidence, seed: SEED + target });
  return raw === Infinity ? NEVER : raw === -Infinity ? ALWAYS : round(raw, 6);
}

const rows: AnswerCheckRow[] = TARGETS.map((qualityTarget) => {
  const threshold = thresholdFor(oof, qualityTarget);
  const at = operatingPoint(oof, threshold);
  return { qualityTarget, threshold, escalatedShare: round(at.premiumShare, 4), qualityRatio: round(at.qualityRatio, 4), prompts: oof.length };
});

/** Step 3: each fold checked with a threshold calibrated on the other folds' out-of-fold scores. */
function heldOut(target: number, confidence = CONFIDENCE): { accuracy: number; qualityRatio: number; escalatedShare: number } {
  const escalated = oof.map(() => false);
  for (let f = 0; f < FOLDS; f++) {
    const threshold = thresholdFor(oof.filter((_, i) => items[i]!.fold !== f), target, confidence);
    oof.forEach((s, i) => {
      if (items[i]!.fold === f) escalated[i] = s.score >= threshold;
    });
  }
  const accuracy = share(items, (it, i) => (escalated[i] ? it.strongRight : it.cheapRight));
  return { accuracy, qualityRatio: accuracy / share(items, (it) => it.strongRight), escalatedShare: share(items, (_, i) => escalated[i]!) };
}

/** Probability that a wrong cheap answer scores above a right one. */
function auc(scored: readonly Scored[]): number {
  const wrong = scored.filter((s) => !s.cheapRight).map((s) => s.score);
  const right = scored.filter((s) => s.cheapRight).map((s) => s.score);
  let wins = 0;
  for (const w of wrong) for (const r of right) wins += w > r ? 1 : w === r ? 0.5 : 0;
  return wins / (wrong.length * right.length);
}

console.log(`\nout-of-fold AUC (a wrong cheap answer scores above a right one): ${auc(oof).toFixed(3)}`);
console.log('\n## Held out: model and threshold both fitted without the fold scored\n');
console.log('| quality target | accuracy | quality ratio | asked again of the strong model | best threshold in hindsight needs | prompt-only router (calibration) sends |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const target of [90, 95, 98]) {
  const h = heldOut(target);
  const router = calibrationFor(target).shapes.open.premiumShare;
  console.log(`| ${target}% | ${pct(h.accuracy)} | ${pct(h.qualityRatio)} | ${pct(h.escalatedShare)} | ${pct(leastPremiumShare(oof, target / 100))} | ${pct(router)} (${ROUTER_CALIBRATION.version}) |`);
}

console.log('\n## Held out at 95%, by calibration confidence (share of resamples the threshold must meet the target in)\n');
console.log('| confidence | quality ratio | asked again of the strong model |');
console.log('| --- | --- | --- |');
for (const confidence of [0.5, 0.8, 0.9, 0.95]) {
  const h = heldOut(95, confidence);
  console.log(`| ${confidence} | ${pct(h.qualityRatio)} | ${pct(h.escalatedShare)} |`);
}

const final = fit(items);
const head = { bias: round(final.bias, 6), weights: final.weights.map((w) => round(w, 5)) };

console.log(`\n## Sealed ${sealed.length} prompts, scored once with the shipped weights and table\n`);
console.log('| quality target | accuracy | strong-only accuracy | quality ratio | asked again of the strong model | calibration promised |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const target of [90, 95, 98]) {
  const row = rows.find((r) => r.qualityTarget === target)!;
  const escalated = sealed.map((it) => sigmoid(linearScore(head, it.x)) >= row.threshold);
  const accuracy = share(sealed, (it, i) => (escalated[i] ? it.strongRight : it.cheapRight));
  const strong = share(sealed, (it) => it.strongRight);
  console.log(`| ${target}% | ${pct(accuracy)} | ${pct(strong)} | ${pct(accuracy / strong)} | ${pct(share(sealed, (_, i) => escalated[i]!))} | ${pct(row.qualityRatio)} at ${pct(row.escalatedShare)} |`);
}
const CHECKS = [
  { prompt: 'Tom has 3 boxes of 12 pens. He gives away 5 pens. How many pens does he have left?', answer: 'Tom has 3 * 12 = <<3*12=36>>36 pens.\nHe has 36 - 5 = <<36-5=31>>31 left.\n#### 31' },
  { prompt: 'Tom has 3 boxes of 12 pens. He gives away 5 pens. How many pens does he have left?', answer: 'Tom has 3 * 12 = 32 pens.\nHe has 32 - 5 = 27 left, however he might have more.' },
];
const score = (m: { bias: number; weights: number[] }, prompt: string, answer: string) => sigmoid(linearScore(m, dense(answerCheckFeatures(prompt, answer))));
const checks = CHECKS.map((c) => ({ ...c, score: round(score(head, c.prompt, c.answer), 6) }));
const version = `ac1-${createHash('sha256').update(JSON.stringify(head)).digest('hex').slice(0, 10)}`;
const weights: AnswerCheckWeights = { version, features: [...ANSWER_CHECK_FEATURES], ...head, checks };
const calibration: AnswerCheckCalibration = {
  version,
  measuredOn: `out-of-fold scores on ${items.length} GSM8K prompts (a further ${sealed.length} sealed) with the cheap model's recorded answers (${FOLDS} random folds); the threshold meets the target on those scores and in ${CONFIDENCE * 100}% of ${RESAMPLES} resamples of the prompts`,
  rows,
};
writeFileSync(path.join(REPO, 'server', 'routing', 'answer-check-weights.json'), `${JSON.stringify(weights, null, 2)}\n`);
writeFileSync(path.join(REPO, 'shared', 'routing', 'answer-check-calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);

console.log(`\n## Weights (version ${version})\n`);
ANSWER_CHECK_FEATURES.forEach((name, j) => console.log(`${name.padEnd(24)} ${head.weights[j]!.toFixed(3)}`));
console.log(`${'bias'.padEnd(24)} ${head.bias.toFixed(3)}`);
console.log('\n## Calibration\n');
console.log('| quality target | threshold | asked again | quality ratio |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.qualityTarget}% | ${r.threshold} | ${pct(r.escalatedShare)} | ${pct(r.qualityRatio)} |`);

function share<T>(xs: readonly T[], keep: (x: T, i: number) => boolean): number {
  return xs.filter(keep).length / xs.length;
}
function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}
