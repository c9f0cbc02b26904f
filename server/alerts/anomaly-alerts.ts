import type { AlertEntry } from '../../shared/alerts-api.js';
import { anomalyScope, anomalyText, recentAnomalies, type ScanOptions, type ScopeSeries } from '../../shared/anomaly-scan.js';
import { DEFAULT_MIN_RISE_MICROS } from '../../shared/spend-anomalies.js';
import { usageSeries } from '../ledger/usage-series.js';
import { HOUR_MS, type UsageRollups } from '../ledger/usage-rollups.js';
import type { AlertFeed } from './alert-feed.js';

/** The scopes watched for spend anomalies. */
export const ANOMALY_GROUPS = ['team', 'model', 'policy'] as const;
const BASELINE_HOURS = 6;
const RECENT_HOURS = 2;
/** The series API's most; a scope beyond the top 50 by spend is summed into `(other)`, which is not watched. */
const TOP = 50;

/**
 * One check: hourly spend per team, model and policy from the rollups, run through the anomaly
 * maths, each new anomaly raised as an `anomaly` alert once per scope and hour. Returns the
 * alerts raised.
 */
export function checkAnomalies(options: { feed: AlertFeed; rollups: UsageRollups; now: number; scan?: ScanOptions }): AlertEntry[] {
  const { feed, rollups, now } = options;
  const window = options.scan?.window ?? BASELINE_HOURS;
  const recent = options.scan?.recent ?? RECENT_HOURS;
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const from = new Date(hour - (window + recent - 1) * HOUR_MS).toISOString();
  const to = new Date(hour + HOUR_MS).toISOString();
  const series: ScopeSeries[] = ANOMALY_GROUPS.flatMap((groupBy) =>
    usageSeries(rollups, { groupBy, bucket: 'hour', from, to, top: TOP })
      .series.filter((s) => s.key !== '(other)')
      .map((s) => ({ groupBy, key: s.key, buckets: s.points.map((p) => p.t), costMicros: s.points.map((p) => p.costMicros) })),
  );
  const raised: AlertEntry[] = [];
  const minRiseMicros = options.scan?.minRiseMicros ?? DEFAULT_MIN_RISE_MICROS;
  for (const a of recentAnomalies(series, { ...options.scan, window, recent, minRiseMicros })) {
    const where = { groupBy: a.groupBy, key: a.key, bucket: a.bucket, valueMicros: a.valueMicros, baselineMicros: a.baselineMicros };
    const done = feed.raise({ kind: 'anomaly', scope: anomalyScope(a), text: anomalyText(a), series: where }, { windowStart: Date.parse(a.bucket) });
    if (done) raised.push(done.entry);
  }
  return raised;
}

/** Runs `check` every `everyMs` without holding the process open; 0 turns it off. */
export function everyInterval(everyMs: number, check: () => void): { stop(): void } {
  if (everyMs <= 0) return { stop: () => {} };
  const timer = setInterval(check, everyMs).unref();
  return { stop: () => clearInterval(timer) };
}
