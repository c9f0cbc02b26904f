import { useEffect, useState } from 'react';
import type { AlertEntry } from '../../../shared/alerts-api.js';
import type { BudgetBurnResponse, OverviewResponse, SeriesResponse } from '../../../shared/usage-api.js';
import { useTheme } from '../app/use-theme.js';
import { api } from '../state/api-client.js';
import { AlertList } from './AlertList.js';
import { BudgetBurnChart } from './BudgetBurnChart.js';
import { apiWindow, RANGES, readQuery, writeQuery, type DashboardQuery, type RangeId } from './dashboard-query.js';
import { OverviewPanels } from './OverviewPanels.js';
import { seriesCsv } from './series-csv.js';
import { SpendChart } from './SpendChart.js';

const GROUPS = ['team', 'model', 'policy', 'requestedModel', 'serviceKey', 'rule'];
/** Delivery status moves (retrying, then delivered or failed) while the page is open. */
const ALERTS_POLL_MS = 3000;

interface Data {
  series: SeriesResponse;
  overview: OverviewResponse;
  budgets: BudgetBurnResponse;
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  a.click();
  URL.revokeObjectURL(url);
}

/** The shortest range whose window still holds an instant. */
function rangeHolding(iso: string, now: number): RangeId {
  const age = now - Date.parse(iso);
  return RANGES.find((r) => age < (r.hours - 1) * 3_600_000)?.id ?? RANGES[RANGES.length - 1]!.id;
}

/** `/dashboard`: spend, savings, budgets and quality from the usage rollups; the view lives in the URL. */
export function Dashboard() {
  useTheme();
  const [query, setQuery] = useState<DashboardQuery>(() => readQuery(window.location.search));
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [alerts, setAlerts] = useState<AlertEntry[]>([]);
  const [focused, setFocused] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.alerts(true).then(
        (r) => live && setAlerts(r.alerts),
        () => {},
      );
    void load();
    const timer = setInterval(() => void load(), ALERTS_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);

  useEffect(() => {
    window.history.replaceState(null, '', `/dashboard${writeQuery(query)}`);
    let live = true;
    const w = apiWindow(query.range, Date.now());
    const filter: Record<string, string> = query.filter ? { filter: query.filter } : {};
    Promise.all([
      api.usageSeries({ groupBy: query.groupBy, bucket: w.bucket, from: w.from, to: w.to, ...filter }),
      api.usageOverview({ from: w.from, to: w.to, ...filter }),
      api.usageBudgets(),
    ]).then(
      ([series, overview, budgets]) => {
        if (!live) return;
        setData({ series, overview, budgets });
        setError(null);
      },
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [query]);

  const set = (patch: Partial<DashboardQuery>) => setQuery((q) => ({ ...q, ...patch }));
  const showOnChart = (alert: AlertEntry) => {
    if (!alert.series) return;
    setFocused(alert.id);
    set({ groupBy: alert.series.groupBy, range: rangeHolding(alert.series.bucket, Date.now()), filter: '' });
    document.querySelector('[data-testid="spend-chart"]')?.scrollIntoView({ behavior: 'smooth', block: 'center' });
  };
  const tagKeys = Object.keys(data?.overview.tags ?? {});
  const groups = [...GROUPS, ...tagKeys.filter((k) => !GROUPS.includes(k)).map((k) => `tag:${k}`)];
  if (!groups.includes(query.groupBy)) groups.push(query.groupBy);
  const filters = Object.entries(data?.overview.tags ?? {}).flatMap(([k, values]) => values.map((v) => `${k}=${v}`));
  if (query.filter && !filters.includes(query.filter)) filters.push(query.filter);

  return (
    <div className="dashboard">
      <header className="dash-header">
        <h1>Spend dashboard</h1>
        <a href="/" className="ghost-link">
          ← Policy editor
        </a>
        <div className="dash-filters">
          <label>
            Range{' '}
            <select aria-label="Range" value={query.range} onChange={(e) => set({ range: e.target.value as RangeId })}>
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          <label>
            Group by{' '}
            <select aria-label="Group by" value={query.groupBy} onChange={(e) => set({ groupBy: e.target.value })}>
              {groups.map((g) => (
                <option key={g}>{g}</option>
              ))}
            </select>
          </label>
          <label>
            Only{' '}
            <select aria-label="Only" value={query.filter} onChange={(e) => set({ filter: e.target.value })}>
              <option value="">everything</option>
              {filters.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          <button type="button" disabled={!data} onClick={() => data && download(`tollgate-spend-${query.groupBy}-${query.range}.csv`, seriesCsv(data.series))}>
            Export CSV
          </button>
        </div>
      </header>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {!data && !error && <p className="muted">Loading…</p>}
      {data && (
        <main className="dash-grid">
          <SpendChart series={data.series} alerts={alerts} focused={focused} />
          <AlertList alerts={alerts} focused={focused} onShow={showOnChart} />
          <OverviewPanels overview={data.overview} />
          <section className="dash-wide dash-budgets" aria-label="Budgets">
            <h2>Budgets</h2>
            {data.budgets.budgets.length === 0 ? (
              <p className="muted small">No live policy has a Budget node with spend in its window.</p>
            ) : (
              data.budgets.budgets.map((b) => <BudgetBurnChart key={`${b.scope} ${b.window} ${b.limitMicros}`} budget={b} />)
            )}
          </section>
        </main>
      )}
    </div>
  );
}
