import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { NodeKind } from '../../../shared/graph.js';
import { NODE_SPECS } from '../../../shared/nodes/index.js';
import { searchKinds } from '../palette/kind-search.js';

interface Props {
  /** Where the "+" was, in the canvas box's own pixels. */
  at: { x: number; y: number };
  title: string;
  kinds: readonly NodeKind[];
  onPick(kind: NodeKind): void;
  onClose(): void;
}

/** A searchable list of node kinds that opens from an output's "+": type to filter, arrows to move, Enter to add. */
export function NodePicker({ at, title, kinds, onPick, onClose }: Props) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const found = searchKinds(query, kinds);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => setActive(0), [query]);

  return (
    <div className="node-picker" role="dialog" aria-label={title} style={{ left: at.x, top: at.y } as CSSProperties} data-testid="node-picker">
      <input
        ref={input}
        aria-label="Search node kinds"
        placeholder="Search: cache, budget, route…"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onBlur={(e) => {
          if (!e.currentTarget.parentElement?.contains(e.relatedTarget as Node | null)) onClose();
        }}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onClose();
          else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, found.length - 1));
          else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
          else if (e.key === 'Enter' && found[active]) onPick(found[active]!);
          else return;
          e.preventDefault();
        }}
      />
      <ul role="listbox" aria-label="Node kinds">
        {found.map((kind, i) => {
          const spec = NODE_SPECS[kind];
          return (
            <li key={kind} role="option" aria-selected={i === active}>
              <button
                type="button"
                className={i === active ? 'picker-item active' : 'picker-item'}
                style={{ '--accent': spec.color } as CSSProperties}
                onMouseEnter={() => setActive(i)}
                onClick={() => onPick(kind)}
                title={spec.description}
              >
                <span className="palette-icon" aria-hidden="true">
                  {spec.icon}
                </span>
                <span className="palette-title">{spec.title}</span>
              </button>
            </li>
          );
        })}
        {found.length === 0 && <li className="muted small picker-empty">No kind matches “{query}”.</li>}
      </ul>
    </div>
  );
}
