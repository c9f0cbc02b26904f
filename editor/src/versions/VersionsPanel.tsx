import { useEffect, useState } from 'react';
import type { VersionSummary } from '../../../shared/api.js';
import { diffRuleFiles, type RuleFileDiff } from '../../../shared/graph-diff.js';
import type { RuleFile } from '../../../shared/rule-file.js';
import { money, microsToUsd, percent } from '../format/money.js';
import { api } from '../state/api-client.js';
import { DiffView } from './DiffView.js';

interface Props {
  policyId: string;
  /** Bumped after each publish so the list reloads. */
  revision: number;
  onRolledBack(ruleFile: RuleFile): void;
}

/** The backtest a version was published after, in one line: cost and quality served against the draft. */
function BacktestLine({ summary }: { summary: NonNullable<VersionSummary['backtest']> }) {
  const { baseline: b, candidate: c } = summary;
  return (
    <p className="version-backtest small" data-testid="version-backtest">
      Backtested on {summary.replayed} requests ({summary.from.slice(0, 10)} to {summary.to.slice(0, 10)}): cost {money(microsToUsd(b.costMicroUsd))} →{' '}
      {money(microsToUsd(c.costMicroUsd))}, quality {percent(b.quality)} → {percent(c.quality)}, refusals {b.refusals} → {c.refusals}, {summary.changed} changed
    </p>
  );
}

/** Every published version of the policy, a diff of any two, and a roll back that publishes an old one anew. */
export function VersionsPanel({ policyId, revision, onRolledBack }: Props) {
  const [versions, setVersions] = useState<VersionSummary[] | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<RuleFileDiff | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.versions(policyId).then(
      ({ versions: list }) => {
        if (!live) return;
        const sorted = [...list].sort((a, b) => b.version - a.version);
        setVersions(sorted);
        setTo(sorted[0]?.version ?? null);
        setFrom(sorted[1]?.version ?? sorted[0]?.version ?? null);
        setError(null);
      },
      () => live && (setVersions([]), setError(null)),
    );
    return () => {
      live = false;
    };
  }, [policyId, revision]);

  useEffect(() => {
    if (from === null || to === null) return setDiff(null);
    let live = true;
    Promise.all([api.version(policyId, from), api.version(policyId, to)]).then(
      ([a, b]) => live && setDiff(diffRuleFiles(a, b)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [policyId, from, to]);

  async function rollback(version: number) {
    if (!window.confirm(`Publish version ${version} again as the newest version of ${policyId}?`)) return;
    try {
      const { ruleFile } = await api.rollback(policyId, version);
      onRolledBack(ruleFile);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (versions === null) return <p className="muted">Loading versions…</p>;
  if (versions.length === 0) return <p className="muted">Not published yet: every publish becomes a version listed here.</p>;
  const options = versions.map((v) => (
    <option key={v.version} value={v.version}>
      v{v.version}
    </option>
  ));
  return (
    <section className="versions" aria-label="Versions">
      <ul className="version-list" data-testid="version-list">
        {versions.map((v) => (
          <li key={v.version}>
            <span className="version-tag">v{v.version}</span>
            <span className="muted small">
              {new Date(v.compiledAt).toLocaleString()} · {v.ruleCount} rules
            </span>
            <button type="button" className="ghost-button" onClick={() => void rollback(v.version)} disabled={v.version === versions[0]!.version}>
              Roll back
            </button>
            {v.backtest && <BacktestLine summary={v.backtest} />}
          </li>
        ))}
      </ul>
      <div className="field-row">
        <div className="field">
          <label htmlFor="diff-from">Compare</label>
          <select id="diff-from" value={from ?? ''} onChange={(e) => setFrom(Number(e.target.value))}>
            {options}
          </select>
        </div>
        <div className="field">
          <label htmlFor="diff-to">with</label>
          <select id="diff-to" value={to ?? ''} onChange={(e) => setTo(Number(e.target.value))}>
            {options}
          </select>
        </div>
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {diff && <DiffView diff={diff} />}
    </section>
  );
}
