import type { PolicySummary } from '../../../shared/api.js';

interface Props {
  policies: readonly PolicySummary[];
  current: string;
  onOpen(id: string): void;
}

/** The runtime's policies; the one on the canvas is marked. */
export function PolicyList({ policies, current, onOpen }: Props) {
  return (
    <nav className="policy-list" aria-label="Policies">
      <h3>Policies</h3>
      <ul>
        {policies.map((p) => (
          <li key={p.id}>
            <button type="button" className={p.id === current ? 'policy-item current' : 'policy-item'} aria-current={p.id === current} onClick={() => onOpen(p.id)}>
              <span className="policy-item-name">{p.name}</span>
              <span className="policy-item-meta">
                v{p.version}
                {p.isDefault && <span className="pill small">default</span>}
                {p.hasDraft && <span className="pill small warning">draft</span>}
                {p.status === 'error' && <span className="pill small error" title={p.error}>broken</span>}
                {p.status === 'drifted' && <span className="pill small warning" title={p.drift}>drifted</span>}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
