import { Area, AreaChart, CartesianGrid, Legend, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { AlertEntry } from '../../../shared/alerts-api.js';
import { DEFAULT_MIN_RISE_MICROS, findAnomalies } from '../../../shared/spend-anomalies.js';
import type { SeriesResponse } from '../../../shared/usage-api.js';
import { microsToUsd, money } from '../format/money.js';
import { seriesColor } from './chart-colors.js';
import { niceAxisMicros } from './nice-axis.js';

function tick(iso: string, bucket: SeriesResponse['bucket']): string {
  return bucket === 'hour' ? iso.slice(11, 16) : iso.slice(5, 10);
}

/** The chart bucket an anomaly alert's hour falls in (the hour itself, or its day), or null when it is outside the chart. */
function bucketOf(hour: string, series: SeriesResponse): string | null {
  const step = series.bucket === 'hour' ? 3_600_000 : 86_400_000;
  const first = series.buckets[0];
  if (first === undefined) return null;
  const i = Math.floor((Date.parse(hour) - Date.parse(first)) / step);
  return series.buckets[i] ?? null;
}

/** Spend per bucket, stacked by group (team, model, policy or a tag); anomaly alerts on the same grouping are marked where they fell. */
export function SpendChart({ series, alerts = [], focused = null }: { series: SeriesResponse; alerts?: AlertEntry[]; focused?: string | null }) {
  const rows = series.buckets.map((t, i) => {
    const row: Record<string, number | string> = { t };
    for (const s of series.series) row[s.key] = microsToUsd(s.points[i]!.costMicros);
    return row;
  });
  // The areas are stacked, so the axis must reach the largest bucket's total.
  const highest = Math.max(0, ...series.buckets.map((_, i) => series.series.reduce((sum, s) => sum + s.points[i]!.costMicros, 0)));
  const ticks = niceAxisMicros(highest).map(microsToUsd);
  const anomalies = series.series.flatMap((s) =>
    findAnomalies(s.points.map((p) => p.costMicros), { minRiseMicros: DEFAULT_MIN_RISE_MICROS }).map((a) => ({ ...a, key: s.key, t: series.buckets[a.index]! })),
  );
  const marks = alerts.flatMap((a) => {
    const t = a.series?.groupBy === series.groupBy ? bucketOf(a.series.bucket, series) : null;
    return t ? [{ id: a.id, t, key: a.series!.key, focused: a.id === focused }] : [];
  });
  return (
    <figure className="dash-card dash-wide" data-testid="spend-chart" aria-label="Spend over time">
      <figcaption>Spend over time by {series.groupBy}</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <AreaChart data={rows} margin={{ left: 8, right: 16, top: 8, bottom: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="t" tickFormatter={(t: string) => tick(t, series.bucket)} fontSize={11} minTickGap={24} />
          <YAxis ticks={ticks} domain={[0, ticks.at(-1)!]} tickFormatter={(v: number) => money(v)} fontSize={11} width={64} />
          <Tooltip formatter={(v) => money(Number(v))} labelFormatter={(t) => String(t).slice(0, 16).replace('T', ' ')} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {anomalies.map((a) => (
            <ReferenceLine key={`${a.key} ${a.t}`} x={a.t} stroke="#dc2626" strokeDasharray="4 3" />
          ))}
          {marks.map((m) => (
            <ReferenceLine
              key={m.id}
              x={m.t}
              className={m.focused ? 'alert-mark focused' : 'alert-mark'}
              stroke="#d97706"
              strokeWidth={m.focused ? 3 : 2}
              label={{ value: `⚠ ${m.key || '(none)'}`, position: 'insideTopRight', fontSize: 11, fill: '#b45309' }}
            />
          ))}
          {series.series.map((s, i) => (
            <Area
              key={s.key}
              type="monotone"
              dataKey={s.key}
              name={s.key || '(none)'}
              stackId="spend"
              stroke={seriesColor(s.key, i)}
              fill={seriesColor(s.key, i)}
              fillOpacity={0.35}
              isAnimationActive={false}
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
      {anomalies.length > 0 && (
        <ul className="anomalies small" data-testid="anomalies" aria-label="Anomalies">
          {anomalies.map((a) => (
            <li key={`${a.key} ${a.t}`}>
              <strong>{a.key || '(none)'}</strong> at {a.t.slice(0, 16).replace('T', ' ')}: {money(microsToUsd(a.valueMicros))} against a baseline of{' '}
              {money(microsToUsd(a.baselineMicros))} ({a.score}σ)
            </li>
          ))}
        </ul>
      )}
      <table className="dash-table small" data-testid="spend-totals">
        <tbody>
          {series.series.map((s, i) => (
            <tr key={s.key}>
              <th scope="row">
                <span className="swatch" style={{ background: seriesColor(s.key, i) }} /> {s.key || '(none)'}
              </th>
              <td>{money(microsToUsd(s.totalMicros))}</td>
              <td>{s.points.reduce((a, p) => a + p.requests, 0)} requests</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
