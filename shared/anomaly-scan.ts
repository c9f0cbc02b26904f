import type { AlertSeries } from './alerts-api.js';
import { findAnomalies, type AnomalyOptions } from './spend-anomalies.js';

/** One scope's spend per hour, oldest first: a team's, a model's or a policy's. */
export interface ScopeSeries {
  groupBy: string;
  key: string;
  /** Bucket starts, ISO 8601 UTC. */
  buckets: readonly string[];
  costMicros: readonly number[];
}

export interface ScopeAnomaly extends AlertSeries {
  score: number;
}

export interface ScanOptions extends AnomalyOptions {
  /**
   * Only the newest buckets are reported: older ones were seen by earlier checks. Two, so a
   * spike in the last minutes of an hour is still caught by the first check of the next.
   */
  recent?: number;
}

/**
 * The anomalies in the newest buckets of each series, for a periodic check to alert on. The
 * newest bucket is usually the hour under way: a partial hour can only under-count, so it may be
 * flagged early but never falsely.
 */
export function recentAnomalies(series: readonly ScopeSeries[], options: ScanOptions = {}): ScopeAnomaly[] {
  const recent = options.recent ?? 2;
  return series.flatMap((s) => {
    const firstRecent = s.costMicros.length - recent;
    return findAnomalies(s.costMicros, options)
      .filter((a) => a.index >= firstRecent)
      .map((a) => ({ groupBy: s.groupBy, key: s.key, bucket: s.buckets[a.index]!, valueMicros: a.valueMicros, baselineMicros: a.baselineMicros, score: a.score }));
  });
}

/** `team=search`: what the alert is about, and (with the bucket) what it is de-duplicated by. */
export function anomalyScope(a: Pick<AlertSeries, 'groupBy' | 'key'>): string {
  return `${a.groupBy}=${a.key || '(none)'}`;
}

const usd = (micros: number) => `$${(micros / 1e6).toFixed(micros < 10_000 ? 4 : 2)}`;

export function anomalyText(a: ScopeAnomaly): string {
  const hour = a.bucket.slice(0, 16).replace('T', ' ');
  return `${anomalyScope(a)} spent ${usd(a.valueMicros)} in the hour from ${hour} UTC, ${a.score}σ above its baseline of ${usd(a.baselineMicros)} an hour`;
}
