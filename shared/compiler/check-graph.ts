import type { Diagnostic } from '../diagnostics.js';
import { diag } from '../diagnostics.js';
import type { Graph, GraphEdge, GraphNode } from '../graph.js';
import { fieldPathLabel } from '../nodes/field-labels.js';
import { isEntry, nodeSpec } from '../nodes/index.js';
import type { OutputHandle } from '../nodes/spec.js';
import { isChatModel, type PricingTable } from '../pricing.js';
import { findCycles as findLoops, reachableFrom, successorsOf, type Successors } from '../graph-walk.js';
import { labelContradictions } from './label-check.js';

/** A node whose params passed their schema, with defaults filled in. */
export interface CheckedNode {
  node: GraphNode;
  params: Record<string, unknown> | null;
  outputs: OutputHandle[];
}

export interface CheckedGraph {
  nodes: Map<string, CheckedNode>;
  /** Valid edges by `${source}\u0000${handle}`. */
  edgeByOutput: Map<string, GraphEdge>;
  entry: GraphNode | null;
  successors: Successors;
  reachable: Set<string>;
}

export const outputKey = (source: string, handle: string) => `${source}\u0000${handle}`;

function issuePath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

/** Params, models, edges, entry: the checks that need no path walk. */
export function checkGraph(graph: Graph, pricing: PricingTable, out: Diagnostic[]): CheckedGraph {
  const nodes = new Map<string, CheckedNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) {
      out.push(diag.duplicateId(node.id, 'node'));
      continue;
    }
    const spec = nodeSpec(node.kind);
    const parsed = spec.params.safeParse(node.params);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issuePath(issue.path);
        out.push(diag.invalidParam(node.id, field, field ? fieldPathLabel(node.kind, field) : '', issue.message));
      }
      nodes.set(node.id, { node, params: null, outputs: [] });
      continue;
    }
    const params = parsed.data as Record<string, unknown>;
    for (const { field, model } of spec.models?.(params) ?? []) {
      const price = pricing.models[model];
      if (!price) out.push(diag.unknownModel(node.id, field, model));
      else if (!isChatModel(price)) out.push(diag.embeddingModel(node.id, field, model));
    }
    out.push(...labelContradictions(node, params, spec));
    nodes.set(node.id, { node, params, outputs: spec.outputs(params) });
  }

  const entries = graph.nodes.filter((n) => isEntry(n.kind));
  if (entries.length === 0) out.push(diag.noEntry());
  for (const extra of entries.slice(1)) out.push(diag.multipleEntries(extra.id));
  const entry = entries[0] ?? null;

  const edgeIds = new Set<string>();
  const edgeByOutput = new Map<string, GraphEdge>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) {
      out.push(diag.duplicateId(edge.id, 'edge'));
      continue;
    }
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) {
      out.push(diag.danglingEdge(edge.id, undefined, `starts at node "${edge.source}", which does not exist`));
      continue;
    }
    if (!target) {
      out.push(diag.danglingEdge(edge.id, edge.source, `leads to node "${edge.target}", which does not exist`));
      continue;
    }
    // A node with invalid params has unknown outputs: its own diagnostics say what to fix first.
    if (source.params && !source.outputs.some((h) => h.id === edge.sourceHandle)) {
      out.push(diag.danglingEdge(edge.id, edge.source, `leaves from output "${edge.sourceHandle}", which this node does not have`));
      continue;
    }
    if (isEntry(target.node.kind)) {
      out.push(diag.entryHasInput(target.node.id, edge.id));
      continue;
    }
    const key = outputKey(edge.source, edge.sourceHandle);
    if (edgeByOutput.has(key)) {
      out.push(diag.ambiguousOutput(edge.source, edge.sourceHandle));
      continue;
    }
    edgeByOutput.set(key, edge);
  }

  const successors = successorsOf(edgeByOutput.values());
  const reachable = entry ? reachableFrom(entry.id, successors) : new Set<string>();
  if (entry) for (const node of graph.nodes) if (!reachable.has(node.id)) out.push(diag.unreachable(node.id));

  for (const id of reachable) {
    const checked = nodes.get(id)!;
    if (!checked.params) continue;
    for (const handle of checked.outputs) {
      const edge = edgeByOutput.get(outputKey(id, handle.id));
      if (!edge && !handle.optional) out.push(diag.noTerminal(id, handle.id, handle.label));
      if (edge && handle.onlyTo) {
        const target = nodes.get(edge.target)!;
        if (target.node.kind !== handle.onlyTo) out.push(diag.badFallback(id, nodeSpec(target.node.kind).title));
      }
    }
  }
  return { nodes, edgeByOutput, successors, entry, reachable };
}

/** Reports each cycle once, on the node where the walk closes the loop. */
export function findCycles(checked: CheckedGraph, out: Diagnostic[]): void {
  for (const loop of findLoops(checked.nodes.keys(), checked.successors)) out.push(diag.cycle(loop[0]!, loop));
}
