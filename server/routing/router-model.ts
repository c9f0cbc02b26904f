import { z } from 'zod';
import { DENSE_FEATURES, FEATURE_DIM, HASH_DIM, routerFeatures, type SparseVector } from './router-features.js';
import type { TASK_TYPES } from '../../shared/facts.js';

const HeadSchema = z.object({ bias: z.number(), weights: z.array(z.number()).length(FEATURE_DIM) });

/**
 * The learned router's weights file: two logistic regressions over the features of
 * router-features.ts. `gain` predicts that the cheap model is wrong, `loss` that the strong
 * one is; their difference is the accuracy a request is expected to gain on the strong model,
 * the one number worth paying for.
 */
export const RouterWeightsSchema = z.object({
  version: z.string().min(1),
  hashDim: z.literal(HASH_DIM),
  denseFeatures: z.array(z.string()).refine((names) => names.join() === DENSE_FEATURES.join(), 'dense features differ from router-features.ts'),
  heads: z.object({ gain: HeadSchema, loss: HeadSchema }),
  /** Scores the training script computed for fixed prompts, so a test can prove inference matches training. */
  checks: z.array(z.object({ prompt: z.string(), taskType: z.string(), score: z.number() })),
});
export type RouterWeights = z.infer<typeof RouterWeightsSchema>;

export interface LinearHead {
  bias: number;
  weights: ArrayLike<number>;
}

export function linearScore(head: LinearHead, x: SparseVector): number {
  let z = head.bias;
  for (let k = 0; k < x.indices.length; k++) z += head.weights[x.indices[k]!]! * x.values[k]!;
  return z;
}

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** P(cheap wrong) − P(strong wrong), in -1..1: the expected accuracy gain of the strong model. */
export function scoreVector(heads: { gain: LinearHead; loss: LinearHead }, x: SparseVector): number {
  return sigmoid(linearScore(heads.gain, x)) - sigmoid(linearScore(heads.loss, x));
}

export function routerScore(model: RouterWeights, text: string, taskType: (typeof TASK_TYPES)[number]): number {
  return scoreVector(model.heads, routerFeatures(text, taskType));
}
