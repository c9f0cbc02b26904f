import { useEffect, useRef, useState } from 'react';
import type { BacktestJob, ChangedRequest } from '../../../shared/backtest-api.js';
import type { Graph } from '../../../shared/graph.js';
import { api } from '../state/api-client.js';
import { fromInputValue, presetWindow, toInputValue, WINDOW_PRESETS, type WindowPreset } from './backtest-window.js';
import { BeforeAfterBars } from './BeforeAfterBars.js';
import { CaptureSwitch } from './CaptureSwitch.js';
import { ChangedList } from './ChangedList.js';
import { TotalsTable } from './TotalsTable.js';

const POLL_MS = 250;

export interface FinishedBacktest {
  job: string;
  /** The canvas graph it ran on: publishing attaches it only while the canvas is still that graph. */
  graph: Graph;
}

interface Props {
  graph: Graph;
  hasErrors: boolean;
  onSelect(changed: ChangedRequest | null): void;
  onFinished(done: FinishedBacktest | null): void;
  onPublish(job: string): void;
  onEdit(graph: Graph, key: string): void;
}

/** Replays the captured traffic of a window through the graph on the canvas (POST /api/policies/:id/backtest, then polling). */
export function BacktestPanel({ graph, hasErrors, onSelect, onFinished, onPublish, onEdit }: Props) {
  const [preset, setPreset] = useState<WindowPreset | 'custom'>('day');
  const [range, setRange] = useState(() => presetWindow('day', Date.now()));
  const [job, setJob] = useState<BacktestJob | null>(null);
  const [ranOn, setRanOn] = useState<Graph | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const live = useRef(true);
  // Set on every mount: StrictMode mounts, unmounts and mounts again.
  useEffect(() => {
    live.current = true;
    return () => {
      live.current = false;
    };
  }, []);

  function pick(next: WindowPreset | 'custom') {
    setPreset(next);
    if (next !== 'custom') setRange(presetWindow(next, Date.now()));
  }

  async function run() {
    setError(null);
    setSelected(null);
    onSelect(null);
    onFinished(null);
    const window = preset === 'custom' ? range : presetWindow(preset, Date.now());
    setRange(window);
    try {
      let current = await api.startBacktest(graph.id, { graph, ...window });
      setJob(current);
      setRanOn(graph);
      while (current.status === 'running' && live.current) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        current = await api.backtestJob(current.job);
        setJob(current);
      }
      if (current.status === 'failed') setError(current.error ?? 'The backtest failed');
      if (current.status === 'done') onFinished({ job: current.job, graph });
    } catch (e) {
      setJob(null);
      setError((e as Error).message);
    }
  }

  function select(changed: ChangedRequest | null) {
    setSelected(changed?.id ?? null);
    onSelect(changed);
  }

  const running = job?.status === 'running';
  const result = job?.status === 'done' ? job.result : undefined;
  const stale = result !== undefined && ranOn !== graph;
  return (
    <section className="backtest" aria-label="Backtest">
      <CaptureSwitch graph={graph} onEdit={onEdit} />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <div className="field">
          <label htmlFor="bt-window">Window</label>
          <select id="bt-window" value={preset} onChange={(e) => pick(e.target.value as WindowPreset | 'custom')}>
            {WINDOW_PRESETS.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="bt-from">From (UTC)</label>
            <input
              id="bt-from"
              type="datetime-local"
              value={toInputValue(range.from)}
              onChange={(e) => {
                const from = fromInputValue(e.target.value);
                if (!from) return;
                setPreset('custom');
                setRange((r) => ({ ...r, from }));
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="bt-to">To (UTC)</label>
            <input
              id="bt-to"
              type="datetime-local"
              value={toInputValue(range.to)}
              onChange={(e) => {
                const to = fromInputValue(e.target.value);
                if (!to) return;
                setPreset('custom');
                setRange((r) => ({ ...r, to }));
              }}
            />
          </div>
        </div>
        <div className="button-row">
          <button type="submit" className="primary" disabled={running || hasErrors} title={hasErrors ? 'Fix the errors first' : undefined}>
            {running ? 'Replaying…' : 'Run backtest'}
          </button>
          {result && (
            <button type="button" onClick={() => onPublish(job!.job)} disabled={stale || hasErrors} title={stale ? 'The canvas changed since this backtest: run it again' : undefined}>
              Publish with this backtest
            </button>
          )}
        </div>
      </form>
      {running && (
        <p className="muted" role="status" data-testid="backtest-progress">
          Replaying {job!.progress.done} of {job!.progress.total} captured requests…
        </p>
      )}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className="backtest-result" data-testid="backtest-result">
          <p className="small" data-testid="backtest-replayed">
            Replayed {result.replayed} of {result.captured} captured requests; {result.changedTotal} decided differently.
            {stale && <strong> The canvas changed since: run it again.</strong>}
          </p>
          {result.captured === 0 && (
            <p className="muted small">
              Nothing was captured in this window. Turn capture on in the graph's settings (<code>settings.capture.enabled</code>) or start the runtime with{' '}
              <code>TOLLGATE_CAPTURE=all</code>.
            </p>
          )}
          <TotalsTable baseline={result.baseline} candidate={result.candidate} />
          <BeforeAfterBars title="Cost by team" groups={result.byTeam} testId="bars-team" />
          <BeforeAfterBars title="Cost by model" groups={result.byModel} testId="bars-model" />
          <ChangedList changed={result.changed} total={result.changedTotal} selected={selected} onSelect={select} />
          <details className="small muted">
            <summary>What the figures assume</summary>
            <ul>
              {result.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
        </div>
      )}
    </section>
  );
}
