import { classify } from '../../server/facts/classify.js';
import { FEATURE_DIM, promptShape, routerFeatures, type SparseVector } from '../../server/routing/router-features.js';
import { scoreVector } from '../../server/routing/router-model.js';
import { PROMPT_SHAPES, type PromptShape } from '../../shared/routing/router-calibration.js';
import { calibrateThreshold, leastPremiumShare, type Scored } from '../router/calibrate.js';
import { trainLogistic } from '../router/logistic.js';
import { loadGsm8k, loadMmluDir, type RoutingSample } from '../router/routing-data.js';
import { shuffled } from '../router/seeded.js';
import { fitPca, project } from './pca.js';
import { dot, type EmbeddingStore } from './use-embeddings.js';

/**
 * Does a USE prompt embedding help the learned router? The router is trained as
 * `npm run train:router` trains it (same seed, folds, heads, calibration), once on its own
 * features (lr3) and once with the embedding reduced by PCA (fitted on the training folds only)
 * appended, and both are judged held out: MMLU subjects unseen, GSM8K prompts unseen.
 */
const SEED = 20261203;
const FOLDS = 5;
const L2 = 3e-4;
const ITERATIONS = 150;
const LEARNING_RATE = 0.05;
const CONFIDENCE = 0.8;
const RESAMPLES = 200;
const ALWAYS = -2;
const NEVER = 2;
/** Neighbours averaged by the neighbour variant, and how many nearest are kept per prompt to pick them from. */
const K = 25;
const NEIGHBOURS_KEPT = 2000;

interface Item extends RoutingSample {
  family: string;
  fold: number;
  x: SparseVector;
  shape: PromptShape;
}

export function routerSamples(mmluDir: string, gsm8kFile: string): { mmlu: RoutingSample[]; gsm8k: RoutingSample[] } {
  return { mmlu: loadMmluDir(mmluDir), gsm8k: loadGsm8k(gsm8kFile) };
}

export interface FamilyResult {
  family: string;
  target: number;
  qualityRatio: number;
  premiumShare: number;
  hindsightPremiumShare: number;
}

export function routerProbe(options: { mmlu: RoutingSample[]; gsm8k: RoutingSample[]; store: EmbeddingStore; dims: readonly number[]; log: (line: string) => void }) {
  const { store, log } = options;
  const subjects = shuffled([...new Set(options.mmlu.map((s) => s.group))].sort(), SEED);
  const features = (s: RoutingSample) => routerFeatures(s.prompt, classify({ text: s.prompt, promptTokens: 0, messageCount: 1, hasTools: false }).taskType);
  const items: Item[] = [
    ...options.mmlu.map((s) => ({ ...s, family: 'mmlu', fold: subjects.indexOf(s.group) % FOLDS, x: features(s), shape: promptShape(s.prompt) })),
    ...shuffled(options.gsm8k, SEED).map((s, i) => ({ ...s, family: 'gsm8k', group: `gsm8k-${i}`, fold: i % FOLDS, x: features(s), shape: promptShape(s.prompt) })),
  ];
  const vectors = items.map((it) => store.get(it.prompt));
  const neighbours = nearestNeighbours(vectors, NEIGHBOURS_KEPT);
  const variants: Record<string, (train: ReadonlySet<number>) => (i: number) => number[]> = { lr3: () => () => [] };
  for (const dims of options.dims) {
    variants[`lr3+use${dims}`] = (train) => {
      const pca = fitPca([...train].map((i) => vectors[i]!), dims, SEED + dims);
      return (i) => project(pca, vectors[i]!);
    };
  }
  // Every coordinate, scaled to about unit variance (a unit 512-d vector's coordinates are ~1/√512).
  variants['lr3+use512'] = () => (i) => Array.from(vectors[i]!, (x) => x * Math.sqrt(vectors[i]!.length));
  // How often each model failed on the K most similar training prompts of another subject (or
  // another GSM8K prompt): for a training prompt too, so it learns the feature as an unseen subject sees it.
  variants['lr3+neighbours'] = (train) => (i) => {
    const near = neighbours[i]!.filter((j) => train.has(j) && items[j]!.group !== items[i]!.group).slice(0, K);
    const mean = (wrong: (s: RoutingSample) => boolean) => (near.length ? near.filter((j) => wrong(items[j]!)).length / near.length : 0.5);
    return [mean((s) => !s.cheapRight), mean((s) => !s.strongRight)];
  };
  const results: Record<string, FamilyResult[]> = {};
  for (const [name, variant] of Object.entries(variants)) {
    const oof: Scored[] = new Array(items.length);
    for (let f = 0; f < FOLDS; f++) {
      const trainIds = items.flatMap((it, i) => (it.fold !== f ? [i] : []));
      const extraOf = variant(new Set(trainIds));
      const withExtra = (i: number): SparseVector => {
        const x = items[i]!.x;
        const extra = extraOf(i);
        return { indices: [...x.indices, ...extra.map((_, k) => FEATURE_DIM + k)], values: [...x.values, ...extra] };
      };
      const xs = trainIds.map(withExtra);
      const dim = FEATURE_DIM + extraOf(0).length;
      const head = (label: (s: RoutingSample) => number) => trainLogistic({ xs, ys: trainIds.map((i) => label(items[i]!)), dim, l2: L2, iterations: ITERATIONS, learningRate: LEARNING_RATE });
      const model = { gain: head((s) => (s.cheapRight ? 0 : 1)), loss: head((s) => (s.strongRight ? 0 : 1)) };
      items.forEach((it, i) => {
        if (it.fold === f) oof[i] = { score: scoreVector(model, withExtra(i)), cheapRight: it.cheapRight, strongRight: it.strongRight, group: it.group, family: it.family };
      });
    }
    results[name] = [90, 95].flatMap((target) => heldOut({ items, oof, target }));
    log(`${name}: ${JSON.stringify(results[name])}`);
  }
  return results;
}

/** As train-router's step 3: each fold routed with thresholds calibrated on the other folds' out-of-fold scores. */
function heldOut(o: { items: readonly Item[]; oof: readonly Scored[]; target: number }): FamilyResult[] {
  const { items, oof, target } = o;
  const routed = oof.map(() => false);
  for (let f = 0; f < FOLDS; f++) {
    for (const shape of PROMPT_SHAPES) {
      const rest = oof.filter((_, i) => items[i]!.fold !== f && items[i]!.shape === shape);
      const raw = rest.length ? calibrateThreshold({ items: rest, target: target / 100, resamples: RESAMPLES, confidence: CONFIDENCE, seed: SEED + target }) : -Infinity;
      const threshold = raw === Infinity ? NEVER : raw === -Infinity ? ALWAYS : Number(raw.toFixed(6));
      oof.forEach((s, i) => {
        if (items[i]!.fold === f && items[i]!.shape === shape) routed[i] = s.score >= threshold;
      });
    }
  }
  return ['mmlu', 'gsm8k'].map((family) => {
    const ids = oof.map((_, i) => i).filter((i) => items[i]!.family === family);
    const share = (keep: (i: number) => boolean) => ids.filter(keep).length / ids.length;
    const accuracy = share((i) => (routed[i] ? items[i]!.strongRight : items[i]!.cheapRight));
    const strong = share((i) => items[i]!.strongRight);
    return {
      family,
      target,
      qualityRatio: round(accuracy / strong),
      premiumShare: round(share((i) => routed[i]!)),
      hindsightPremiumShare: round(leastPremiumShare(ids.map((i) => oof[i]!), target / 100)),
    };
  });
}

const round = (x: number) => Number(x.toFixed(4));

/** Per vector, the indices of the `kept` most similar others (cosine; the vectors are unit length), most similar first. */
function nearestNeighbours(vectors: readonly Float32Array[], kept: number): number[][] {
  return vectors.map((v, i) => {
    const sims = vectors.map((w, j) => ({ j, s: j === i ? -Infinity : dot(v, w) }));
    return sims.sort((a, b) => b.s - a.s).slice(0, kept).map((x) => x.j);
  });
}
