import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo, type CSSProperties } from 'react';
import { isEntry, NODE_SPECS } from '../../../shared/nodes/index.js';
import { useCanvasActions } from './canvas-actions.js';
import type { PolicyFlowNode } from './flow-model.js';

/** One policy node: coloured header with icon and label, the summary line, labelled outputs. */
function PolicyNodeView({ data, selected }: NodeProps<PolicyFlowNode>) {
  const { node, outputs, summary, errors, warnings, onPath, offPath, wasPath, live, glance } = data;
  const spec = NODE_SPECS[node.kind];
  const classes = ['policy-node', `cat-${spec.category}`, selected && 'selected', errors.length && 'has-error', onPath && 'on-path', wasPath && 'was-path', offPath && 'off-path']
    .filter(Boolean)
    .join(' ');
  const problem = errors[0] ?? warnings[0];
  const actions = useCanvasActions();
  return (
    <div className={classes} style={{ '--accent': spec.color } as CSSProperties} data-testid={`node-${node.id}`} data-kind={node.kind}>
      {!isEntry(node.kind) && <Handle type="target" position={Position.Left} className="handle-in" aria-label={`input of ${node.label}`} />}
      <header className="policy-node-header">
        <span className="policy-node-icon" aria-hidden="true">
          {spec.icon}
        </span>
        <span className="policy-node-title">
          <span className="policy-node-label">{node.label || spec.title}</span>
          {node.label && node.label !== spec.title && <span className="policy-node-kind">{spec.title}</span>}
        </span>
        {(errors.length > 0 || warnings.length > 0) && (
          <span
            className={`policy-node-badge ${errors.length ? 'error' : 'warning'}`}
            title={problem?.message}
            data-testid={`node-problems-${node.id}`}
          >
            {errors.length || warnings.length}
          </span>
        )}
      </header>
      <div className="policy-node-summary" data-testid={`node-summary-${node.id}`}>
        {summary}
      </div>
      {live.length > 0 && (
        <div className="policy-node-live" data-testid={`node-live-${node.id}`} title="Today (UTC), published version">
          {live.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
      {glance && (
        <div className="policy-node-glance" data-testid={`node-glance-${node.id}`} title="Today (UTC), published version">
          {glance}
        </div>
      )}
      {errors[0] && (
        <div className="policy-node-problem error" title={errors[0].message}>
          {errors[0].message}
        </div>
      )}
      {outputs.length > 0 && (
        <ul className="policy-node-outputs">
          {outputs.map((o) => (
            <li key={o.id} className={errors.some((e) => e.field === o.id) ? 'output has-error' : 'output'}>
              <button
                type="button"
                className="add-after nodrag nopan"
                aria-label={`Add a node after ${o.label} of ${node.label}`}
                title="Add a node here, connected"
                data-testid={`add-after-${node.id}-${o.id}`}
                onClick={(e) => {
                  e.stopPropagation();
                  const r = e.currentTarget.getBoundingClientRect();
                  actions.openPicker(node.id, o.id, { x: r.right + 8, y: r.top });
                }}
              >
                +
              </button>
              <span className="output-label">{o.label}</span>
              <Handle
                type="source"
                id={o.id}
                position={Position.Right}
                className={`handle-out handle-${o.id}`}
                aria-label={`output ${o.label} of ${node.label}`}
                data-testid={`handle-${node.id}-${o.id}`}
              />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const PolicyNode = memo(PolicyNodeView);
