import type { SeriesQuery, SeriesResponse } from '../../shared/usage-api.js';
import { cellFilter, hourRange } from './usage-range.js';
import { DAY_MS, dimValue, HOUR_MS, unitsToMicros, type UsageRollups } from './usage-rollups.js';

const OTHER = '(other)';

/** Spend over time, one series per value of `groupBy` (the top ones by spend, the rest summed as `(other)`), from the rollups. */
export function usageSeries(rollups: UsageRollups, query: SeriesQuery): SeriesResponse {
  const range = hourRange(query.from, query.to);
  const step = query.bucket === 'hour' ? HOUR_MS : DAY_MS;
  const first = Math.floor(range.from / step) * step;
  const buckets: number[] = [];
  for (let t = first; t < range.to; t += step) buckets.push(t);
  const index = new Map(buckets.map((t, i) => [t, i]));
  const keep = cellFilter(query.filter);
  const byKey = new Map<string, { cost: number[]; requests: number[]; total: number }>();
  const add = (key: string, start: number, cost: number, requests: number) => {
    let s = byKey.get(key);
    if (!s) byKey.set(key, (s = { cost: buckets.map(() => 0), requests: buckets.map(() => 0), total: 0 }));
    const i = index.get(Math.floor(start / step) * step)!;
    s.cost[i]! += cost;
    s.requests[i]! += requests;
    s.total += cost;
  };
  rollups.visit(range.from, range.to, query.bucket, (start, bucket) => {
    if (query.groupBy === 'user') {
      for (const [user, t] of bucket.users) add(user, start, t.cost, t.requests);
      return;
    }
    for (const cell of bucket.cells) if (keep(cell.dims)) add(dimValue(cell.dims, query.groupBy), start, cell.totals.cost, cell.totals.requests);
  });

  const ranked = [...byKey].sort((a, b) => b[1].total - a[1].total || (a[0] < b[0] ? -1 : 1));
  const shown = ranked.slice(0, query.top);
  const rest = ranked.slice(query.top);
  if (rest.length > 0) {
    const other = { cost: buckets.map(() => 0), requests: buckets.map(() => 0), total: 0 };
    for (const [, s] of rest) {
      s.cost.forEach((c, i) => (other.cost[i]! += c));
      s.requests.forEach((r, i) => (other.requests[i]! += r));
      other.total += s.total;
    }
    shown.push([OTHER, other]);
  }
  const iso = (t: number) => new Date(t).toISOString();
  return {
    groupBy: query.groupBy,
    bucket: query.bucket,
    from: iso(range.from),
    to: iso(range.to),
    buckets: buckets.map(iso),
    series: shown.map(([key, s]) => ({
      key,
      totalMicros: unitsToMicros(s.total),
      points: buckets.map((t, i) => ({ t: iso(t), costMicros: unitsToMicros(s.cost[i]!), requests: s.requests[i]! })),
    })),
    source: 'rollups',
  };
}
