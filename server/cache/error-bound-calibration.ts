import type { CalibrationRow } from './pair-verifier.js';

/** One simulated lookup: the best candidate's verifier score, and whether serving it would have been right. */
export interface ScoredLookup {
  score: number;
  correct: boolean;
}

/** The wrong-hit rates the cache node offers, strictest first. */
export const CALIBRATED_RATES = [0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2] as const;

/**
 * A pessimistic count of wrong hits: the observed count plus one standard deviation and one, so a
 * threshold chosen on a few thousand pairs still keeps its bound on pairs it has not seen.
 */
export function pessimisticWrong(wrong: number): number {
  return wrong + Math.sqrt(wrong) + 1;
}

/**
 * For each wrong-hit rate, the lowest verifier threshold at which the pessimistic share of wrong
 * hits stays within it (the most hits the bound allows). `duplicates` is how many lookups had a
 * right answer in the cache, for the hit rate. A rate no threshold meets gets threshold 1.01:
 * nothing is served semantically.
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
      if (pessimisticWrong(wrong) / hits <= rate) {
        row = { maxWrongHitRate: rate, threshold: sorted[i]!.score, duplicateHitRate: duplicates === 0 ? 0 : (hits - wrong) / duplicates, wrongHitShare: wrong / hits };
      }
    }
    rows.push(row);
  }
  return rows;
}
