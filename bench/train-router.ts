/**
 * `npm run train:router [-- --mmlu DIR --gsm8k FILE]`: fits the learned router and writes
 * server/routing/router-weights.json and shared/routing/router-calibration.json. Seeded and
 * deterministic: the same data gives the same bytes.
 *
 * Protocol (every figure printed is on data the model being scored did not see):
 * 1. MMLU subjects are dealt into 5 folds whole, GSM8K prompts into 5 random folds; each fold is
 *    scored by a model fitted on the other four (out-of-fold scores, "OOF").
 * 2. The knob's table (quality target -> one threshold per prompt shape, multiple-choice or open)
 *    comes from the OOF scores, resampling whole MMLU subjects (so the target holds on unseen
 *    subjects) and single GSM8K prompts, in each family (MMLU, GSM8K) present in that shape.
 * 3. The held-out report re-does step 2 per fold without that fold and scores the fold with it:
 *    subjects unseen by the model and by the calibration alike.
 * 4. The shipped model is fitted on everything; the table from step 2 goes with it.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { RouterCalibration } from '../shared/routing/router-calibration.js';
import { classify } from '../server/facts/classify.js';
import { PROMPT_SHAPES, type PromptShape } from '../shared/routing/router-calibration.js';
import { DENSE_FEATURES, FEATURE_DIM, HASH_DIM, promptShape, routerFeatures, type SparseVector } from '../server/routing/router-features.js';
import { scoreVector, type RouterWeights } from '../server/routing/router-model.js';
import { benchDataDir, REPO } from './router/data-dir.js';
import { calibrateThreshold, leastPremiumShare, operatingPoint, type Scored } from './router/calibrate.js';
import { trainLogistic, type LinearModel } from './router/logistic.js';
import { loadGsm8k, loadMmluDir, type RoutingSample } from './router/routing-data.js';
import { shuffled } from './router/seeded.js';

const repo = REPO;
const data = path.join(benchDataDir(), 'routellm');
const { values: args } = parseArgs({
  options: {
    mmlu: { type: 'string', default: path.join(data, 'mmlu-train') },
    gsm8k: { type: 'string', default: path.join(data, 'gsm8k_responses.csv') },
  },
});

const SEED = 20261203;
const FOLDS = 5;
const L2 = 3e-4;
const ITERATIONS = 150;
const LEARNING_RATE = 0.05;
const TARGETS = Array.from({ length: 21 }, (_, i) => 80 + i);
const CONFIDENCE = 0.8;
const RESAMPLES = 200;
/** Score bounds stand in for "never" and "always" strong in the JSON table. */
const NEVER = 2;
const ALWAYS = -2;

interface Item extends RoutingSample {
  family: string;
  fold: number;
  x: SparseVector;
}

function loadItems(): Item[] {
  const mmlu = loadMmluDir(args.mmlu!);
  const gsm8k = shuffled(loadGsm8k(args.gsm8k!), SEED);
  const subjects = shuffled([...new Set(mmlu.map((s) => s.group))].sort(), SEED);
  const features = (s: RoutingSample) => routerFeatures(s.prompt, classify({ text: s.prompt, promptTokens: 0, messageCount: 1, hasTools: false }).taskType);
  return [
    ...mmlu.map((s) => ({ ...s, family: 'mmlu', fold: subjects.indexOf(s.group) % FOLDS, x: features(s) })),
    // GSM8K prompts are exchangeable, so the calibration resamples them one by one, not in five slices.
    ...gsm8k.map((s, i) => ({ ...s, family: 'gsm8k', group: `gsm8k-${i}`, fold: i % FOLDS, x: features(s) })),
  ];
}

// P(strong right) − P(cheap right) = P(cheap wrong) − P(strong wrong): the marginals have
// several times the positive labels of "only one model right", so they are fitted with less noise.
const cheapWrong = (s: RoutingSample) => (s.cheapRight ? 0 : 1);
const strongWrong = (s: RoutingSample) => (s.strongRight ? 0 : 1);

function fit(items: readonly Item[]): { gain: LinearModel; loss: LinearModel } {
  const xs = items.map((it) => it.x);
  const head = (label: (s: RoutingSample) => number) =>
    trainLogistic({ xs, ys: items.map(label), dim: FEATURE_DIM, l2: L2, iterations: ITERATIONS, learningRate: LEARNING_RATE });
  return { gain: head(cheapWrong), loss: head(strongWrong) };
}

const shapeOf = (s: RoutingSample): PromptShape => promptShape(s.prompt);

function thresholdFor(items: readonly Scored[], target: number, confidence = CONFIDENCE): number {
  const raw = calibrateThreshold({ items, target: target / 100, resamples: RESAMPLES, confidence, seed: SEED + target });
  return raw === Infinity ? NEVER : raw === -Infinity ? ALWAYS : round(raw, 6);
}

/** Per quality target and prompt shape: the threshold, and what it gives on the held-out scores. */
function calibrationRows(scored: readonly Scored[], shapes: readonly PromptShape[]) {
  return TARGETS.map((qualityTarget) => {
    const points = PROMPT_SHAPES.map((shape) => {
      const mine = scored.filter((_, i) => shapes[i] === shape);
      const threshold = mine.length ? thresholdFor(mine, qualityTarget) : ALWAYS;
      const at = operatingPoint(mine, threshold);
      return [shape, { threshold, premiumShare: round(at.premiumShare, 4), qualityRatio: round(at.qualityRatio, 4), prompts: mine.length }] as const;
    });
    return { qualityTarget, shapes: Object.fromEntries(points) as RouterCalibration['rows'][number]['shapes'] };
  });
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const items = loadItems();
console.log(`${items.length} prompts: ${items.filter((i) => i.family === 'mmlu').length} MMLU (${new Set(items.filter((i) => i.family === 'mmlu').map((i) => i.group)).size} subjects), ${items.filter((i) => i.family === 'gsm8k').length} GSM8K`);

const oof: Scored[] = new Array(items.length);
for (let f = 0; f < FOLDS; f++) {
  const model = fit(items.filter((it) => it.fold !== f));
  items.forEach((it, i) => {
    if (it.fold === f) oof[i] = { score: scoreVector(model, it.x), cheapRight: it.cheapRight, strongRight: it.strongRight, group: it.group, family: it.family };
  });
  console.log(`fold ${f + 1}/${FOLDS} fitted`);
}
const shapes = items.map(shapeOf);
const rows = calibrationRows(oof, shapes);

interface HeldOut {
  family: string;
  accuracy: number;
  strongAccuracy: number;
  cheapAccuracy: number;
  qualityRatio: number;
  premiumShare: number;
}

/** Step 3: each fold routed with thresholds calibrated on the other folds' out-of-fold scores. */
function heldOut(target: number, confidence: number): HeldOut[] {
  const routed = oof.map(() => false);
  for (let f = 0; f < FOLDS; f++) {
    for (const shape of PROMPT_SHAPES) {
      const rest = oof.filter((_, i) => items[i]!.fold !== f && shapes[i] === shape);
      const threshold = rest.length ? thresholdFor(rest, target, confidence) : ALWAYS;
      oof.forEach((s, i) => {
        if (items[i]!.fold === f && shapes[i] === shape) routed[i] = s.score >= threshold;
      });
    }
  }
  return ['mmlu', 'gsm8k'].map((family) => {
    const ids = oof.map((_, i) => i).filter((i) => items[i]!.family === family);
    const share = (keep: (i: number) => boolean) => ids.filter(keep).length / ids.length;
    const accuracy = share((i) => (routed[i] ? items[i]!.strongRight : items[i]!.cheapRight));
    const strongAccuracy = share((i) => items[i]!.strongRight);
    return { family, accuracy, strongAccuracy, cheapAccuracy: share((i) => items[i]!.cheapRight), qualityRatio: accuracy / strongAccuracy, premiumShare: share((i) => routed[i]!) };
  });
}

console.log('\n## Held out: model and threshold both fitted without the fold scored\n');
console.log('| quality target | family | accuracy | strong-only accuracy | quality ratio | premium share | random routing needs | best threshold in hindsight needs |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const target of [90, 95]) {
  for (const h of heldOut(target, CONFIDENCE)) {
    const random = (target / 100 * h.strongAccuracy - h.cheapAccuracy) / (h.strongAccuracy - h.cheapAccuracy);
    const hindsight = leastPremiumShare(oof.filter((_, i) => items[i]!.family === h.family), target / 100);
    console.log(`| ${target}% | ${h.family} | ${pct(h.accuracy)} | ${pct(h.strongAccuracy)} | ${pct(h.qualityRatio)} | ${pct(h.premiumShare)} | ${pct(random)} | ${pct(hindsight)} |`);
  }
}
console.log('\n## Held out at 95%, by calibration confidence (share of resamples the threshold must meet the target in)\n');
console.log('| confidence | family | quality ratio | premium share |');
console.log('| --- | --- | --- | --- |');
for (const confidence of [0.5, 0.6, 0.7, 0.8, 0.9]) {
  for (const h of heldOut(95, confidence)) console.log(`| ${confidence} | ${h.family} | ${pct(h.qualityRatio)} | ${pct(h.premiumShare)} |`);
}

const final = fit(items);
const heads = {
  gain: { bias: round(final.gain.bias, 6), weights: final.gain.weights.map((w) => round(w, 5)) },
  loss: { bias: round(final.loss.bias, 6), weights: final.loss.weights.map((w) => round(w, 5)) },
};
const CHECK_PROMPTS = [
  'What is 17 * 23? Show your steps.',
  'Which of the following is NOT a primary colour?\nA. Red\nB. Blue\nC. Green\nD. Yellow\nAnswer:',
  'Write a haiku about autumn rain.',
];
const checks = CHECK_PROMPTS.map((prompt) => {
  const taskType = classify({ text: prompt, promptTokens: 0, messageCount: 1, hasTools: false }).taskType;
  return { prompt, taskType, score: round(scoreVector(heads, routerFeatures(prompt, taskType)), 6) };
});
const version = `lr3-${createHash('sha256').update(JSON.stringify(heads)).digest('hex').slice(0, 10)}`;
const weights: RouterWeights = { version, hashDim: HASH_DIM, denseFeatures: [...DENSE_FEATURES], heads, checks };
const calibration: RouterCalibration = {
  version,
  measuredOn: `out-of-fold scores on ${items.length} prompts (MMLU subjects held out whole, ${FOLDS} folds; GSM8K in ${FOLDS} random folds); one threshold per prompt shape (multiple-choice, open), met on those scores and in ${CONFIDENCE * 100}% of ${RESAMPLES} resamples of subjects, in each family present (MMLU resampled by subject, GSM8K by prompt)`,
  rows,
};
writeFileSync(path.join(repo, 'server', 'routing', 'router-weights.json'), `${JSON.stringify(weights)}\n`);
writeFileSync(path.join(repo, 'shared', 'routing', 'router-calibration.json'), `${JSON.stringify(calibration, null, 2)}\n`);
console.log(`\n## Calibration (version ${version})\n`);
console.log('| quality target | shape | threshold | premium share | quality ratio |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of rows) for (const shape of PROMPT_SHAPES) console.log(`| ${r.qualityTarget}% | ${shape} | ${r.shapes[shape].threshold} | ${pct(r.shapes[shape].premiumShare)} | ${pct(r.shapes[shape].qualityRatio)} |`);
