import type { SeriesResponse } from '../../../shared/usage-api.js';

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** One row per bucket and group: what the chart shows, for a spreadsheet. Money stays integer micro-dollars. */
export function seriesCsv(series: SeriesResponse): string {
  const lines = [['bucket_start', series.groupBy, 'cost_micro_usd', 'requests'].map(cell).join(',')];
  for (const s of series.series) for (const p of s.points) lines.push([p.t, s.key, String(p.costMicros), String(p.requests)].map(cell).join(','));
  return `${lines.join('\n')}\n`;
}
