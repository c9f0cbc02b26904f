import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { BacktestGroup } from '../../../shared/backtest-api.js';
import { money } from '../format/money.js';

const WIDTH = 326;
const ROW = 34;
/** More bars than this do not read in a side panel; the rest are the smaller groups. */
const SHOWN = 8;

/** Cost per group, what was served beside what the draft would do: one pair of bars per team or model. */
export function BeforeAfterBars({ title, groups, testId }: { title: string; groups: readonly BacktestGroup[]; testId: string }) {
  const rows = [...groups]
    .sort((a, b) => Math.max(b.baseline.costUsd, b.candidate.costUsd) - Math.max(a.baseline.costUsd, a.candidate.costUsd))
    .slice(0, SHOWN)
    .map((g) => ({ key: g.key || '(none)', served: g.baseline.costUsd, draft: g.candidate.costUsd, servedRequests: g.baseline.requests, draftRequests: g.candidate.requests }));
  return (
    <figure className="backtest-bars" data-testid={testId} aria-label={title}>
      <figcaption>{title}</figcaption>
      <BarChart width={WIDTH} height={60 + rows.length * ROW} data={rows} layout="vertical" margin={{ left: 4, right: 12, top: 4, bottom: 4 }}>
        <CartesianGrid horizontal={false} strokeDasharray="3 3" />
        <XAxis type="number" tickFormatter={(v: number) => money(v)} fontSize={11} />
        <YAxis type="category" dataKey="key" width={96} fontSize={11} />
        <Tooltip formatter={(v) => money(Number(v))} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="served" name="Served" fill="var(--was-path)" isAnimationActive={false} />
        <Bar dataKey="draft" name="Draft" fill="var(--path)" isAnimationActive={false} />
      </BarChart>
      <table className="backtest-group-table small">
        <thead>
          <tr>
            <th scope="col">{title.replace(/^Cost by /, '')}</th>
            <th scope="col">Served</th>
            <th scope="col">Draft</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-testid={`${testId}-row`}>
              <th scope="row">{r.key}</th>
              <td>
                {money(r.served)} · {r.servedRequests}
              </td>
              <td>
                {money(r.draft)} · {r.draftRequests}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
