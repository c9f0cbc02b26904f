import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { Graph } from '../../../shared/graph.js';

interface Props {
  diagnostics: readonly Diagnostic[];
  graph: Graph;
  ruleCount: number;
  onFocus(nodeId: string): void;
}

/** Every diagnostic of the live compile; clicking one selects and centres the node it is about. */
export function ProblemsPanel({ diagnostics, graph, ruleCount, onFocus }: Props) {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const labelOf = (id: string | undefined) => graph.nodes.find((n) => n.id === id)?.label || id;
  return (
    <section className="problems" aria-label="Problems" data-testid="problems">
      <header>
        <h2>Problems</h2>
        <span className={errors ? 'pill error' : 'pill ok'} data-testid="problem-count">
          {errors ? `${errors} error${errors === 1 ? '' : 's'}` : 'no errors'}
        </span>
        {warnings > 0 && <span className="pill warning">{`${warnings} warning${warnings === 1 ? '' : 's'}`}</span>}
        <span className="muted small">{ruleCount ? `compiles to ${ruleCount} rule${ruleCount === 1 ? '' : 's'}` : ''}</span>
      </header>
      {diagnostics.length > 0 && (
        <ul>
          {diagnostics.map((d, i) => (
            <li key={`${d.code}-${d.nodeId}-${d.field}-${i}`}>
              <button type="button" className={`problem ${d.severity}`} disabled={!d.nodeId} onClick={() => d.nodeId && onFocus(d.nodeId)}>
                <span className="problem-code">{d.code}</span>
                {d.nodeId && <span className="problem-node">{labelOf(d.nodeId)}</span>}
                <span className="problem-message">{d.message}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
