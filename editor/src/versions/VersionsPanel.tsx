import { useEffect, useState } from 'react';
import type { PublishResponse, VersionSummary } from '../../../shared/api.js';
import { diffRuleFiles, type RuleFileDiff } from '../../../shared/graph-diff.js';
import { PublishDialog } from '../app/PublishDialog.js';
import { money, microsToUsd, percent } from '../format/money.js';
import { api, type PublishNote } from '../state/api-client.js';
import { DiffView } from './DiffView.js';

interface Props {
  policyId: string;
  /** Bumped after each publish so the list reloads. */
  revision: number;
  onRolledBack(result: PublishResponse): void;
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
  /** The policy `versions` (and so `from` and `to`) were listed for: after a switch they name another policy's versions. */
  const [listedFor, setListedFor] = useState<string | null>(null);
  const [from, setFrom] = useState<number | null>(null);
  const [to, setTo] = useState<number | null>(null);
  const [diff, setDiff] = useState<RuleFileDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);

  useEffect(() => {
    let live = true;
    api.versions(policyId).then(
      ({ versions: list }) => {
        if (!live) return;
        const sorted = [...list].sort((a, b) => b.version - a.version);
        setVersions(sorted);
        setTo(sorted[0]?.version ?? null);
        setFrom(sorted[1]?.version ?? sorted[0]?.version ?? null);
        setListedFor(policyId);
        setError(null);
      },
      () => live && (setVersions([]), setListedFor(policyId), setError(null)),
    );
    return () => {
      live = false;
    };
  }, [policyId, revision]);

  useEffect(() => {
    // Only versions listed for this policy are fetched: a policy never published has none, and asking would 404.
    if (from === null || to === null || listedFor !== policyId) return setDiff(null);
    let live = true;
    Promise.all([api.version(policyId, from), api.version(policyId, to)]).then(
      ([a, b]) => live && setDiff(diffRuleFiles(a, b)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [policyId, listedFor, from, to]);

  async function rollback(version: number, note: PublishNote) {
    try {
      onRolledBack(await api.rollback(policyId, version, note));
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
            <span className="version-info">
              {v.message && <span className="version-message">{v.message}</span>}
              <span className="muted small">
                {v.author ? `${v.author} · ` : ''}
                {new Date(v.compiledAt).toLocaleString()} · {v.ruleCount} rules
              </span>
            </span>
            <button type="button" className="ghost-button" onClick={() => setConfirming(v.version)} disabled={v.version === versions[0]!.version}>
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
      {confirming !== null && (
        <PublishDialog
          title={`Roll back to v${confirming}?`}
          action={`Publish v${confirming} again`}
          defaultMessage={`Roll back to v${confirming}`}
          onConfirm={(note) => void rollback(confirming, note)}
          onClose={() => setConfirming(null)}
        />
      )}
    </section>
  );
}
