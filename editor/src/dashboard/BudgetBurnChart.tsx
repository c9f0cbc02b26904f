import { Area, ComposedChart, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { forecastBudget } from '../../../shared/budget-forecast.js';
import type { BudgetBurn } from '../../../shared/usage-api.js';
import { microsToUsd, money } from '../format/money.js';

const HOUR_MS = 3_600_000;

/**
 * One budget's window: spend so far hour by hour, then the forecast to the window's end with its
 * band, against the limit.
 */
export function BudgetBurnChart({ budget }: { budget: BudgetBurn }) {
  const start = Date.parse(budget.windowStart);
  const hoursInWindow = Math.round((Date.parse(budget.windowEnd) - start) / HOUR_MS);
  const limitMicros = budget.limitMicros;
  const f = forecastBudget({ hourlyMicros: budget.hourlyMicros, hoursInWindow, limitMicros });
  const elapsed = budget.hourlyMicros.length;
  const rows: { hour: number; spent?: number; forecast?: number; band?: [number, number] }[] = [];
  let running = 0;
  budget.hourlyMicros.forEach((h, i) => {
    running += h;
    rows.push({ hour: i + 1, spent: microsToUsd(running) });
  });
  const last = rows.at(-1);
  if (last) Object.assign(last, { forecast: last.spent, band: [last.spent!, last.spent!] as [number, number] });
  const left = hoursInWindow - elapsed;
  for (let k = 1; k <= left; k++) {
    const share = k / left;
    const at = (target: number) => microsToUsd(f.spentMicros + (target - f.spentMicros) * share);
    rows.push({ hour: elapsed + k, forecast: at(f.forecastMicros), band: [at(f.lowMicros), at(f.highMicros)] });
  }
  const pct = limitMicros > 0 ? (f.spentMicros / limitMicros) * 100 : Infinity;
  const over = f.overAtHour !== null;
  return (
    <figure className={over ? 'dash-card budget over' : 'dash-card budget'} data-testid="budget-burn" aria-label={`Budget ${budget.scope}`}>
      <figcaption>
        <strong>{budget.scope}</strong> <span className="muted small">per {budget.window} · {budget.source.join(', ')}</span>
      </figcaption>
      <p className="small budget-line" data-testid="budget-line">
        {money(microsToUsd(f.spentMicros))} of {money(microsToUsd(limitMicros))} ({pct.toFixed(1)}%) · forecast {money(microsToUsd(f.forecastMicros))} (
        {money(microsToUsd(f.lowMicros))}–{money(microsToUsd(f.highMicros))})
        {over && f.overAtHour !== null && <strong> · over after {new Date(start + (f.overAtHour + 1) * HOUR_MS).toISOString().slice(5, 16).replace('T', ' ')} UTC</strong>}
      </p>
      <ResponsiveContainer width="100%" height={150}>
        <ComposedChart data={rows} margin={{ left: 4, right: 12, top: 6, bottom: 0 }}>
          <XAxis dataKey="hour" type="number" domain={[0, hoursInWindow]} fontSize={10} tickFormatter={(h: number) => `${h}h`} />
          <YAxis fontSize={10} width={56} tickFormatter={(v: number) => money(v)} domain={[0, (max: number) => Math.max(max, microsToUsd(limitMicros))]} />
          <Tooltip formatter={(v) => (Array.isArray(v) ? v.map((x) => money(Number(x))).join(' – ') : money(Number(v)))} />
          <Area dataKey="band" name="Forecast band" stroke="none" fill="#f59e0b" fillOpacity={0.2} isAnimationActive={false} />
          <Line dataKey="forecast" name="Forecast" stroke="#f59e0b" strokeDasharray="5 4" dot={false} isAnimationActive={false} />
          <Line dataKey="spent" name="Spent" stroke="#4f46e5" strokeWidth={2} dot={false} isAnimationActive={false} />
          <ReferenceLine y={microsToUsd(limitMicros)} stroke="#dc2626" strokeDasharray="3 3" label={{ value: 'limit', fontSize: 10, fill: '#dc2626', position: 'insideTopRight' }} />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
