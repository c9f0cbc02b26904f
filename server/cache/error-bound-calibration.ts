import type { CalibrationRow } from './pair-verifier.js';

/** One simulated lookup: the best candidate's verifier score, and whether serving it would have been right. */
export interface ScoredLookup {
  score: number;
  correct: boolean;
}

/** The wrong-hit rates the cache node offers, strictest first. */
export const CALIBRATED_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2] as const;

/**
 * Standard normal quantile of the one-sided confidence the bound is kept with (84%): a margin
 * over the observed share that shrinks as the calibration data grows, where a fixed "+1 wrong"
 * cost a small calibration set most of its hits.
 */
export const CALIBRATION_Z = 1;

/** Wilson score upper bound on a share of `wrong` in `hits`, at `z` standard deviations. */
export function wilsonUpper(wrong: number, hits: number, z: number = CALIBRATION_Z): number {
  if (hits === 0) return 1;
  const p = wrong / hits;
  const z2 = z * z;
  const centre = p + z2 / (2 * hits);
  const spread = z * Math.sqrt((p * (1 - p)) / hits + z2 / (4 * hits * hits));
  return (centre + spread) / (1 + z2 / hits);
}

/**
 * For each wrong-hit rate, the lowest verifier threshold at which the Wilson upper bound on the
 * share of wrong hits stays within it (the most hits the bound allows). `duplicates` is how many
 * lookups had a right answer in the cache, for the hit rate. A rate no threshold meets gets
 * threshold 1.01: nothing is served semantically.
 */
export function calibrateErrorBound(lookups: readonly ScoredLookup[], duplicates: number, rates: readonly number[] = CALIBRATED_RATES): CalibrationRow[] {
  const sorted = [...lookups].sort((a, b) => b.score - a.score);
  const rows: CalibrationRow[] = [];
  for (const rate of rates) {
    let row: CalibrationRow = { maxWrongHitRate: rate, threshold: 1.01, duplicateHitRate: 0, wrongHitShare: 0 };
    let hits = 0;
    let wrong = 0;
    for (let i = 0; i < sorted.length; i++) {
      hits++;
      if (!sorted[i]!.correct) wrong++;
      // Only cut between distinct scores: a threshold serves every lookup at or above it.
      if (i + 1 < sorted.length && sorted[i + 1]!.score === sorted[i]!.score) continue;
      if (wilsonUpper(wrong, hits) <= rate) {
        row = { maxWrongHitRate: rate, threshold: sorted[i]!.score, duplicateHitRate: duplicates === 0 ? 0 : (hits - wrong) / duplicates, wrongHitShare: wrong / hits };
      }
    }
    rows.push(row);
  }
  return rows;
}
