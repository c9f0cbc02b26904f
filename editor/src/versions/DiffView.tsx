import type { RuleFileDiff, ValueChange } from '../../../shared/graph-diff.js';
import { isEmptyDiff } from '../../../shared/graph-diff.js';

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

function Changes({ changes }: { changes: ValueChange[] }) {
  return (
    <ul className="diff-values">
      {changes.map((c) => (
        <li key={c.path}>
          <code>{c.path || '(value)'}</code> <del>{show(c.before)}</del> → <ins>{show(c.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

/** Two versions side by side in words: nodes and params changed, added, removed, and what that did to the rules. */
export function DiffView({ diff }: { diff: RuleFileDiff }) {
  if (isEmptyDiff(diff)) return <p className="muted">These versions are the same policy.</p>;
  const { nodes, edges, rules } = diff;
  return (
    <div className="diff" data-testid="version-diff">
      <h3>
        v{diff.versions.before} → v{diff.versions.after}
      </h3>
      {diff.meta.length > 0 && <Changes changes={diff.meta} />}
      {nodes.added.map((n) => (
        <p key={`+${n.id}`} className="diff-added">
          + node <strong>{n.label || n.id}</strong> ({n.kind})
        </p>
      ))}
      {nodes.removed.map((n) => (
        <p key={`-${n.id}`} className="diff-removed">
          − node <strong>{n.label || n.id}</strong> ({n.kind})
        </p>
      ))}
      {nodes.changed.map((n) => (
        <div key={`~${n.id}`} className="diff-changed">
          <p>
            ~ node <strong>{n.label || n.id}</strong>
            {n.labelChange && ` (renamed from “${n.labelChange.before}”)`}
            {n.kindChange && ` (was a ${n.kindChange.before})`}
          </p>
          <Changes changes={n.params} />
        </div>
      ))}
      {edges.added.map((e) => (
        <p key={`+${e.id}`} className="diff-added">
          + edge {e.source} [{e.sourceHandle}] → {e.target}
        </p>
      ))}
      {edges.removed.map((e) => (
        <p key={`-${e.id}`} className="diff-removed">
          − edge {e.source} [{e.sourceHandle}] → {e.target}
        </p>
      ))}
      <h4>Rules</h4>
      {rules.added.length + rules.removed.length + rules.changed.length === 0 && <p className="muted">The compiled rules are the same.</p>}
      {rules.added.map((r) => (
        <p key={`+${r}`} className="diff-added">
          + rule {r}
        </p>
      ))}
      {rules.removed.map((r) => (
        <p key={`-${r}`} className="diff-removed">
          − rule {r}
        </p>
      ))}
      {rules.changed.map((r) => (
        <p key={`~${r.name}`} className="diff-changed">
          ~ rule {r.name}:{' '}
          {[r.conditionsChanged && 'conditions', r.actionsChanged && 'actions', r.pathChanged && 'path', r.priority && `priority ${r.priority.before} → ${r.priority.after}`]
            .filter(Boolean)
            .join(', ')}
        </p>
      ))}
    </div>
  );
}
