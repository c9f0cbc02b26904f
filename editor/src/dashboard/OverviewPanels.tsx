import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { OverviewResponse } from '../../../shared/usage-api.js';
import { microsToUsd, money, percent } from '../format/money.js';

function Ranked({ title, rows, testId }: { title: string; rows: OverviewResponse['topKeys']; testId: string }) {
  return (
    <section className="dash-card" aria-label={title}>
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">None in this view.</p>
      ) : (
        <table className="dash-table small" data-testid={testId}>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.key || '(none)'}</th>
                <td>{money(microsToUsd(r.costMicros))}</td>
                <td>{r.requests}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The headline numbers, savings by category against the model asked for, top keys and users, quality per route. */
export function OverviewPanels({ overview }: { overview: OverviewResponse }) {
  const s = overview.savings;
  const savings = [
    { category: 'Cache', usd: microsToUsd(s.cacheMicros) },
    { category: 'Routing', usd: microsToUsd(s.routingMicros) },
    { category: 'Degradation', usd: microsToUsd(s.degradationMicros) },
    { category: 'Trimming', usd: microsToUsd(s.trimmingMicros) },
  ];
  const saved = s.cacheMicros + s.routingMicros + s.degradationMicros + s.trimmingMicros;
  return (
    <>
      <section className="dash-kpis" aria-label="Totals">
        <div className="kpi">
          <span className="kpi-label">Spend</span>
          <span className="kpi-value" data-testid="kpi-spend">
            {money(microsToUsd(overview.costMicros))}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Requests</span>
          <span className="kpi-value" data-testid="kpi-requests">
            {overview.requests}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Saved vs asked-for model</span>
          <span className="kpi-value" data-testid="kpi-saved">
            {money(microsToUsd(saved))}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Cache hit rate</span>
          <span className="kpi-value" data-testid="kpi-cache">
            {percent(overview.cacheHitRate)}
          </span>
        </div>
        <div className="kpi">
          <span className="kpi-label">Errors</span>
          <span className="kpi-value">{overview.errors}</span>
        </div>
        {overview.answerCheck.checked > 0 && (
          <div className="kpi" title="Cheap answers the learned router checked, and those asked again of the strong model (their cheap calls were paid too)">
            <span className="kpi-label">Cheap answers asked again</span>
            <span className="kpi-value" data-testid="kpi-answer-check">
              {overview.answerCheck.escalated} of {overview.answerCheck.checked}
            </span>
            <span className="muted small">{money(microsToUsd(overview.answerCheck.escalatedCheapMicros))} on cheap answers not served</span>
          </div>
        )}
      </section>
      <section className="dash-card" aria-label="Savings by category">
        <h3>Savings by category</h3>
        <ResponsiveContainer width="100%" height={150}>
          <BarChart data={savings} layout="vertical" margin={{ left: 8, right: 16 }}>
            <XAxis type="number" fontSize={10} tickFormatter={(v: number) => money(v)} />
            <YAxis type="category" dataKey="category" fontSize={11} width={84} />
            <Tooltip formatter={(v) => money(Number(v))} />
            <Bar dataKey="usd" name="Saved" fill="#10b981" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
        <p className="muted small">Trimming savings are not told apart in the ledger (it keeps the trimmed token counts only).</p>
      </section>
      <Ranked title="Top service keys" rows={overview.topKeys} testId="top-keys" />
      <Ranked title="Top users" rows={overview.topUsers} testId="top-users" />
      <section className="dash-card" aria-label="Quality per route">
        <h3>Quality per route</h3>
        <table className="dash-table small" data-testid="route-quality">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Requests</th>
              <th scope="col">Spend</th>
              <th scope="col">Quality</th>
            </tr>
          </thead>
          <tbody>
            {overview.routes.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.key}</th>
                <td>{r.requests}</td>
                <td>{money(microsToUsd(r.costMicros))}</td>
                <td title={`${r.feedback} scored`}>{r.quality === null ? '—' : `${percent(r.quality)} (${r.feedback})`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
