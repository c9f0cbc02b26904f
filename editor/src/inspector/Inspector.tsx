import { useMemo } from 'react';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { Graph, GraphNode } from '../../../shared/graph.js';
import { fieldPathLabel } from '../../../shared/nodes/field-labels.js';
import { NODE_SPECS, nodeSpec } from '../../../shared/nodes/index.js';
import { setAtPath, updateNode } from '../state/graph-ops.js';
import { describeSchema } from './schema-walk.js';
import { hiddenFields, SchemaForm, type FormContext } from './schema-form.js';

interface Props {
  graph: Graph;
  node: GraphNode | null;
  diagnostics: readonly Diagnostic[];
  models: readonly string[];
  /** `key` groups keystrokes in one field into one undo step. */
  onEdit(graph: Graph, key: string): void;
}

/** Whether a diagnostic's field names a params path the form shows (as opposed to an output handle, a hidden field or nothing). */
function isParamField(field: string | undefined, paramKeys: readonly string[]): field is string {
  return field !== undefined && paramKeys.includes(field.split('.')[0]!);
}

/** The params after an edit, with what the kind's spec derives from it (a default that follows the mode). */
function adapted(node: GraphNode, next: Record<string, unknown>): Record<string, unknown> {
  const spec = nodeSpec(node.kind);
  if (!spec.adapt) return next;
  const before = spec.params.safeParse(node.params);
  const after = spec.params.safeParse(next);
  // A half-typed form may not parse yet; the derived fields wait until it does.
  return before.success && after.success ? (spec.adapt(after.data, before.data) as Record<string, unknown>) : next;
}

/** The spec's sentence for these settings, when they parse. */
function explanation(node: GraphNode): string | null {
  const spec = nodeSpec(node.kind);
  const parsed = spec.params.safeParse(node.params);
  return spec.explain && parsed.success ? spec.explain(parsed.data) : null;
}

export function Inspector({ graph, node, diagnostics, models, onEdit }: Props) {
  const shape = useMemo(() => (node ? describeSchema(NODE_SPECS[node.kind].params) : null), [node?.kind]);
  if (!node || !shape) return <PolicySettings graph={graph} onEdit={onEdit} />;

  const spec = NODE_SPECS[node.kind];
  const hidden = hiddenFields(node.kind, node.params);
  const paramKeys = shape.type === 'object' ? shape.fields.map((f) => f.key).filter((k) => !hidden.has(k)) : [];
  const sentence = explanation(node);
  const mine = diagnostics.filter((d) => d.nodeId === node.id);
  const general = mine.filter((d) => !isParamField(d.field, paramKeys));
  const parsed = spec.params.safeParse(node.params);
  const note = parsed.success ? spec.note?.(parsed.data as never) : undefined;
  const ctx: FormContext = {
    nodeId: node.id,
    kind: node.kind,
    models,
    // Under its own field the message needs no field name in front.
    errorsAt: (path) => mine.filter((d) => d.field === path).map((d) => d.message.replace(`${fieldPathLabel(node.kind, path)}: `, '')),
    set: (path, value) =>
      onEdit(updateNode(graph, node.id, { params: adapted(node, setAtPath(node.params, path, value) as Record<string, unknown>) }), `${node.id}:${path.join('.')}`),
  };
  return (
    <section className="inspector" aria-label="Inspector" data-testid="inspector">
      <header className="inspector-head" style={{ borderColor: spec.color }}>
        <span className="policy-node-icon" style={{ background: spec.color }} aria-hidden="true">
          {spec.icon}
        </span>
        <div>
          <h2>{spec.title}</h2>
          <p className="muted">{spec.description}</p>
        </div>
      </header>
      {general.length > 0 && (
        <ul className="inspector-problems">
          {general.map((d, i) => (
            <li key={i} className={d.severity}>
              <strong>{d.code}</strong> {d.message}
            </li>
          ))}
        </ul>
      )}
      <div className="field">
        <label htmlFor={`label-${node.id}`}>Label</label>
        <input id={`label-${node.id}`} value={node.label} onChange={(e) => onEdit(updateNode(graph, node.id, { label: e.target.value }), `${node.id}:label`)} />
      </div>
      <p className="muted small">
        id <code>{node.id}</code>
      </p>
      {sentence && (
        <p className="node-explain" data-testid="node-explain">
          {sentence}
        </p>
      )}
      <SchemaForm ctx={ctx} shape={shape} params={node.params} />
      {note && (
        <p className="muted small" data-testid="inspector-note">
          {note}
        </p>
      )}
    </section>
  );
}

function PolicySettings({ graph, onEdit }: { graph: Graph; onEdit(graph: Graph, key: string): void }) {
  return (
    <section className="inspector" aria-label="Policy settings" data-testid="policy-settings">
      <h2>Policy</h2>
      <p className="muted">Select a node to edit its settings. These apply to the whole policy.</p>
      <div className="field">
        <label htmlFor="policy-name">Policy name</label>
        <input id="policy-name" value={graph.name} onChange={(e) => onEdit({ ...graph, name: e.target.value }, 'policy:name')} />
      </div>
      <div className="field">
        <label htmlFor="policy-description">Description</label>
        <textarea id="policy-description" rows={4} value={graph.description} onChange={(e) => onEdit({ ...graph, description: e.target.value }, 'policy:description')} />
      </div>
      <p className="muted small">
        id <code>{graph.id}</code> · version {graph.version} · {graph.nodes.length} nodes, {graph.edges.length} edges
      </p>
    </section>
  );
}
