import type { BacktestTotals } from '../../../shared/backtest-api.js';
import { money, percent } from '../format/money.js';

type Row = { label: string; read(t: BacktestTotals): number | null; show(v: number | null): string };

const count = (v: number | null) => String(v ?? 0);
const ROWS: Row[] = [
  { label: 'Requests', read: (t) => t.requests, show: count },
  { label: 'Cost', read: (t) => t.costUsd, show: (v) => money(v ?? 0) },
  { label: 'Refusals', read: (t) => t.refusals, show: count },
  { label: 'Degradations', read: (t) => t.degradations, show: count },
  { label: 'Cache hits', read: (t) => t.cacheHits, show: count },
  { label: 'Est. quality', read: (t) => t.quality, show: (v) => percent(v) },
];

/** Served against draft, with the difference, for each figure the backtest reports. */
export function TotalsTable({ baseline, candidate }: { baseline: BacktestTotals; candidate: BacktestTotals }) {
  return (
    <table className="backtest-totals" data-testid="backtest-totals">
      <thead>
        <tr>
          <th scope="col" />
          <th scope="col">Served</th>
          <th scope="col">Draft</th>
        </tr>
      </thead>
      <tbody>
        {ROWS.map((r) => {
          const before = r.read(baseline);
          const after = r.read(candidate);
          return (
            <tr key={r.label}>
              <th scope="row">{r.label}</th>
              <td>{r.show(before)}</td>
              <td data-testid={`draft-${r.label.toLowerCase().replace(/[^a-z]+/g, '-')}`} className={before !== after ? 'changed' : undefined}>
                {r.show(after)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
