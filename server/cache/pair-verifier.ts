import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { BoostedTreesSchema, compiledProbability, compileTrees } from './boosted-trees.js';
import { FEATURE_NAMES, pairFeatures, type PairText, type WordRarity } from './pair-features.js';

/** One row of the error-bound calibration: at this verifier threshold, held-out pairs showed these rates. */
export const CalibrationRowSchema = z.object({
  maxWrongHitRate: z.number(),
  threshold: z.number(),
  /** Share of duplicate questions answered from the cache (on the calibrate part, never fitted). */
  duplicateHitRate: z.number(),
  /** Wrong hits as a share of all hits. */
  wrongHitShare: z.number(),
});
export type CalibrationRow = z.infer<typeof CalibrationRowSchema>;

export const VerifierWeightsSchema = z.object({
  version: z.string(),
  features: z.array(z.string()),
  rarity: z.object({ unseen: z.number(), words: z.record(z.string(), z.number()) }),
  model: BoostedTreesSchema,
  calibration: z.array(CalibrationRowSchema),
  trainedOn: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type VerifierWeights = z.infer<typeof VerifierWeightsSchema>;

export interface PairVerifier {
  version: string;
  /** P(the two questions ask the same thing), 0 to 1. */
  score(query: PairText, stored: PairText): number;
  /** The least score served when at most this share of hits may be wrong; above 1 (nothing served) below the calibrated range. */
  thresholdFor(maxWrongHitRate: number): number;
  calibration: readonly CalibrationRow[];
}

export const VERIFIER_WEIGHTS_FILE = new URL('./verifier-weights.json', import.meta.url);

export function rarityOf(table: VerifierWeights['rarity']): WordRarity {
  return { unseen: table.unseen, idf: (word) => table.words[word] ?? table.unseen };
}

export function createPairVerifier(weights: VerifierWeights): PairVerifier {
  if (weights.features.join() !== FEATURE_NAMES.join()) throw new Error(`verifier ${weights.version} was trained on other features; rebuild it (npm run train:cache-verifier)`);
  const rarity = rarityOf(weights.rarity);
  const trees = compileTrees(weights.model);
  const rows = [...weights.calibration].sort((a, b) => a.maxWrongHitRate - b.maxWrongHitRate);
  return {
    version: weights.version,
    calibration: rows,
    score: (query, stored) => compiledProbability(trees, pairFeatures(query, stored, rarity)),
    thresholdFor(maxWrongHitRate) {
      // The loosest calibrated row that still keeps the bound: a rate between rows gets the stricter one.
      let threshold = Number.POSITIVE_INFINITY;
      for (const row of rows) if (row.maxWrongHitRate <= maxWrongHitRate + 1e-12) threshold = row.threshold;
      return threshold;
    },
  };
}

let shipped: PairVerifier | null = null;

/** The verifier shipped in verifier-weights.json, read once. */
export function shippedVerifier(): PairVerifier {
  shipped ??= createPairVerifier(VerifierWeightsSchema.parse(JSON.parse(readFileSync(VERIFIER_WEIGHTS_FILE, 'utf8'))));
  return shipped;
}
