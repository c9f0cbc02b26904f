import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { GraphNode } from '../../../shared/graph.js';
import { defaultParams, NODE_SPECS, type OutputHandle } from '../../../shared/nodes/index.js';

/**
 * A half-edited node's params may fail their schema; the canvas still has to draw its handles
 * and a summary. Try the params as they are, then over the defaults, then the defaults alone.
 */
function lenient<T>(node: Pick<GraphNode, 'kind' | 'params'>, read: (params: never) => T): T {
  const spec = NODE_SPECS[node.kind];
  const parsed = spec.params.safeParse(node.params);
  if (parsed.success) return read(parsed.data as never);
  try {
    return read({ ...defaultParams(node.kind), ...node.params } as never);
  } catch {
    return read(defaultParams(node.kind) as never);
  }
}

export function nodeOutputs(node: Pick<GraphNode, 'kind' | 'params'>): OutputHandle[] {
  return lenient(node, (p) => NODE_SPECS[node.kind].outputs(p));
}

export function nodeSummary(node: Pick<GraphNode, 'kind' | 'params'>): string {
  return lenient(node, (p) => NODE_SPECS[node.kind].summary(p));
}

export interface NodeProblems {
  errors: Diagnostic[];
  warnings: Diagnostic[];
}

export function problemsByNode(diagnostics: readonly Diagnostic[]): Map<string, NodeProblems> {
  const byNode = new Map<string, NodeProblems>();
  for (const d of diagnostics) {
    if (!d.nodeId) continue;
    const entry = byNode.get(d.nodeId) ?? { errors: [], warnings: [] };
    (d.severity === 'error' ? entry.errors : entry.warnings).push(d);
    byNode.set(d.nodeId, entry);
  }
  return byNode;
}
