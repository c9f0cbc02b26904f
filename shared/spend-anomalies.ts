/** A bucket whose spend is far above its rolling baseline. */
export interface SpendAnomaly {
  index: number;
  valueMicros: number;
  /** Mean of the `window` buckets before it. */
  baselineMicros: number;
  /** How many standard deviations above the baseline (with the floor below). */
  score: number;
}

export interface AnomalyOptions {
  /** Buckets in the rolling baseline. */
  window?: number;
  /** Standard deviations above the baseline that count as an anomaly. */
  threshold?: number;
  /**
   * Smallest rise above the baseline that counts: the first spend of a day after quiet hours is
   * infinitely many deviations above nothing, but not news.
   */
  minRiseMicros?: number;
}

/** $0.50 over the baseline: what the alerts and the dashboard's marks both ask of an anomaly. */
export const DEFAULT_MIN_RISE_MICROS = 500_000;

/**
 * Spend rate anomalies in one series: a bucket is flagged when it exceeds the mean of the
 * `window` buckets before it by more than `threshold` standard deviations. A flat baseline has
 * no spread, so the deviation is floored at a tenth of the baseline mean (and one micro-dollar),
 * or every small wobble after quiet hours would count. Buckets without a full window are skipped.
 */
export function findAnomalies(valuesMicros: readonly number[], options: AnomalyOptions = {}): SpendAnomaly[] {
  const window = options.window ?? 6;
  const threshold = options.threshold ?? 3;
  const minRise = options.minRiseMicros ?? 0;
  const found: SpendAnomaly[] = [];
  for (let i = window; i < valuesMicros.length; i++) {
    const base = valuesMicros.slice(i - window, i);
    const mean = base.reduce((a, b) => a + b, 0) / window;
    const sd = Math.sqrt(base.reduce((a, b) => a + (b - mean) ** 2, 0) / window);
    const spread = Math.max(sd, mean * 0.1, 1);
    const value = valuesMicros[i]!;
    const score = (value - mean) / spread;
    if (score > threshold && value - mean >= minRise) found.push({ index: i, valueMicros: value, baselineMicros: Math.round(mean), score: Math.round(score * 100) / 100 });
  }
  return found;
}
