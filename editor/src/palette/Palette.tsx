import { useState, type CSSProperties } from 'react';
import type { NodeKind } from '../../../shared/graph.js';
import { isEntry, NODE_SPECS, type NodeCategory } from '../../../shared/nodes/index.js';
import { NODE_DRAG_TYPE } from '../canvas/PolicyCanvas.js';
import { searchKinds } from './kind-search.js';

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

/** Every node kind from the specs, grouped by what it does; search, drag one onto the canvas, or click to add it after the selection. */
export function Palette({ hasEntry, onAdd }: Props) {
  const [query, setQuery] = useState('');
  const usable = (Object.keys(NODE_SPECS) as NodeKind[]).filter((k) => !(isEntry(k) && hasEntry));
  const found = new Set(searchKinds(query, usable));
  const first = searchKinds(query, usable)[0];
  return (
    <nav className="palette" aria-label="Node palette">
      <input
        type="search"
        className="palette-search"
        aria-label="Search the palette"
        placeholder="Search nodes (Enter adds)"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && query.trim() && first) {
            e.preventDefault();
            onAdd(first);
            setQuery('');
          } else if (e.key === 'Escape') setQuery('');
        }}
      />
      {GROUPS.map((group) => {
        const specs = Object.values(NODE_SPECS).filter((s) => s.category === group.category && (!query.trim() || found.has(s.kind)));
        if (specs.length === 0) return null;
        return (
          <section key={group.category}>
            <h3>{group.title}</h3>
            <ul>
              {specs.map((spec) => {
                const disabled = isEntry(spec.kind) && hasEntry;
                return (
                  <li key={spec.kind}>
                    <button
                      type="button"
                      className={spec.kind === first && query.trim() ? 'palette-item first' : 'palette-item'}
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
        );
      })}
      {query.trim() && found.size === 0 && <p className="muted small">No node kind matches “{query}”.</p>}
      <p className="muted small palette-hint">Click adds a node after the selected one, connected. Drag one anywhere. Hover for what it does.</p>
    </nav>
  );
}
