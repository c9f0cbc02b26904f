import type { CSSProperties } from 'react';
import type { NodeKind } from '../../../shared/graph.js';
import { isEntry, NODE_SPECS, type NodeCategory } from '../../../shared/nodes/index.js';
import { NODE_DRAG_TYPE } from '../canvas/PolicyCanvas.js';

const GROUPS: { category: NodeCategory; title: string }[] = [
  { category: 'entry', title: 'Entry' },
  { category: 'branch', title: 'Decide' },
  { category: 'step', title: 'Act' },
  { category: 'terminal', title: 'Answer' },
];

interface Props {
  hasEntry: boolean;
  onAdd(kind: NodeKind): void;
}

/** Every node kind from the specs, grouped by what it does; drag one onto the canvas or click to add it. */
export function Palette({ hasEntry, onAdd }: Props) {
  const specs = Object.values(NODE_SPECS);
  return (
    <nav className="palette" aria-label="Node palette">
      {GROUPS.map((group) => (
        <section key={group.category}>
          <h3>{group.title}</h3>
          <ul>
            {specs
              .filter((s) => s.category === group.category)
              .map((spec) => {
                const disabled = isEntry(spec.kind) && hasEntry;
                return (
                  <li key={spec.kind}>
                    <button
                      type="button"
                      className="palette-item"
                      draggable={!disabled}
                      disabled={disabled}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(NODE_DRAG_TYPE, spec.kind);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      onClick={() => onAdd(spec.kind)}
                      title={disabled ? 'A policy has exactly one Request node' : spec.description}
                      aria-label={`Add ${spec.title}`}
                      data-testid={`palette-${spec.kind}`}
                      style={{ '--accent': spec.color } as CSSProperties}
                    >
                      <span className="palette-icon" aria-hidden="true">
                        {spec.icon}
                      </span>
                      <span className="palette-title">{spec.title}</span>
                    </button>
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
      <p className="muted small palette-hint">Drag a node onto the canvas, or click to add it. Hover for what it does.</p>
    </nav>
  );
}
