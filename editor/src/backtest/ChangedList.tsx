import type { ChangedRequest } from '../../../shared/backtest-api.js';
import { money } from '../format/money.js';

const side = (d: ChangedRequest['baseline']) => (d.outcome === 'refused' ? `refused (${d.rule ?? 'no rule'})` : `${d.rule ?? 'no rule'} → ${d.model ?? '—'}`);

/** The requests whose decision changed most; picking one lights its old and new path on the canvas. */
export function ChangedList({ changed, total, selected, onSelect }: { changed: readonly ChangedRequest[]; total: number; selected: string | null; onSelect(c: ChangedRequest | null): void }) {
  if (changed.length === 0) return <p className="muted">No request would be decided differently.</p>;
  return (
    <section aria-label="Changed requests">
      <h3 className="backtest-heading">
        Changed requests <span className="muted small">({changed.length} largest of {total})</span>
      </h3>
      <ul className="changed-list" data-testid="changed-list">
        {changed.map((c) => (
          <li key={c.id}>
            <button type="button" className="changed-item" aria-pressed={selected === c.id} onClick={() => onSelect(selected === c.id ? null : c)}>
              <span className="changed-meta small muted">
                {new Date(c.time).toISOString().slice(5, 16).replace('T', ' ')} · {c.tags.team ?? 'no team'}
              </span>
              <span className="changed-was">{side(c.baseline)}</span>
              <span className="changed-now">{side(c.candidate)}</span>
              <span className={c.costDeltaUsd <= 0 ? 'changed-delta saving' : 'changed-delta cost'}>{money(c.costDeltaUsd)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
