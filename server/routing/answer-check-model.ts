import { z } from 'zod';
import { sigmoid } from './router-model.js';
import { ANSWER_CHECK_FEATURES, answerCheckFeatures, type AnswerCheckFeature } from './answer-check-features.js';
import weightsJson from './answer-check-weights.json' with { type: 'json' };

/**
 * The answer check's weights file: one logistic regression over answer-check-features.ts that
 * predicts that a cheap model's worked answer is wrong. Written by `npm run train:answer-check`.
 */
export const AnswerCheckWeightsSchema = z.object({
  version: z.string().min(1),
  features: z.array(z.string()).refine((names) => names.join() === ANSWER_CHECK_FEATURES.join(), 'features differ from answer-check-features.ts'),
  bias: z.number(),
  weights: z.array(z.number()).length(ANSWER_CHECK_FEATURES.length),
  /** Scores the training script computed for fixed answers, so a test can prove inference matches training. */
  checks: z.array(z.object({ prompt: z.string(), answer: z.string(), score: z.number() })),
});
export type AnswerCheckWeights = z.infer<typeof AnswerCheckWeightsSchema>;

export const ANSWER_CHECK_WEIGHTS: AnswerCheckWeights = AnswerCheckWeightsSchema.parse(weightsJson);

export interface AnswerJudgement {
  /** P(the cheap answer is wrong), 0..1. */
  score: number;
  /** Each feature's push on the score (weight × value, in log-odds), largest first: the "why". */
  contributions: { feature: AnswerCheckFeature; contribution: number }[];
}

/** Score and reasons from one pass over the answer's features. */
export function judgeAnswer(model: AnswerCheckWeights, prompt: string, answer: string): AnswerJudgement {
  const x = answerCheckFeatures(prompt, answer);
  return {
    score: scoreOf(model, x),
    contributions: ANSWER_CHECK_FEATURES.map((feature, j) => ({ feature, contribution: Math.round(model.weights[j]! * x[j]! * 1e4) / 1e4 })).sort(
      (a, b) => b.contribution - a.contribution,
    ),
  };
}

/** P(the cheap answer is wrong), 0..1: at or above the calibrated threshold the strong model is asked again. */
export function answerCheckScore(model: AnswerCheckWeights, prompt: string, answer: string): number {
  return scoreOf(model, answerCheckFeatures(prompt, answer));
}

function scoreOf(model: AnswerCheckWeights, x: readonly number[]): number {
  let z = model.bias;
  for (let j = 0; j < x.length; j++) z += model.weights[j]! * x[j]!;
  return sigmoid(z);
}
