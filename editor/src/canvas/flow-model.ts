import type { Edge, Node } from '@xyflow/react';
import type { Diagnostic } from '../../../shared/diagnostics.js';
import type { Graph, GraphNode } from '../../../shared/graph.js';
import { isEntry, type OutputHandle } from '../../../shared/nodes/index.js';
import type { NodeLiveView } from './live-figures.js';
import { nodeOutputs, nodeSummary, problemsByNode } from './node-view.js';

export interface PolicyNodeData extends Record<string, unknown> {
  node: GraphNode;
  outputs: OutputHandle[];
  summary: string;
  errors: Diagnostic[];
  warnings: Diagnostic[];
  /** On the path the last simulation took. */
  onPath: boolean;
  /** A simulation ran and this node was not on its path. */
  offPath: boolean;
  /** On the path the request took before (a backtest's served decision) and not on the new one. */
  wasPath: boolean;
  /** Today's figures of the published version (spend vs limit, hit rate, requests and cost); empty for a draft. */
  live: string[];
  /** The same in a few words, shown instead when the canvas is zoomed out to an overview. */
  glance: string | null;
}

export type PolicyFlowNode = Node<PolicyNodeData, 'policy'>;

export interface Highlight {
  nodes: ReadonlySet<string>;
  edges: ReadonlySet<string>;
  /** The path the request took under the served policy, lit apart from the new one (a backtest's changed request). */
  before?: { nodes: ReadonlySet<string>; edges: ReadonlySet<string> };
}

export interface FlowInput {
  graph: Graph;
  selection: { nodes: string[]; edges: string[] };
  diagnostics: readonly Diagnostic[];
  highlight: Highlight | null;
  measured: ReadonlyMap<string, { width: number; height: number }>;
  /** Per node, see liveLinesByNode; absent while the canvas is not the live version. */
  live?: ReadonlyMap<string, NodeLiveView>;
}

/** React Flow's nodes and edges, derived from the graph on every change (the graph is the state). */
export function toFlow({ graph, selection, diagnostics, highlight, measured, live }: FlowInput): { nodes: PolicyFlowNode[]; edges: Edge[] } {
  const problems = problemsByNode(diagnostics);
  const selectedNodes = new Set(selection.nodes);
  const selectedEdges = new Set(selection.edges);
  const badEdges = new Set(diagnostics.filter((d) => d.edgeId && d.severity === 'error').map((d) => d.edgeId!));
  const nodes = graph.nodes.map((node): PolicyFlowNode => {
    const p = problems.get(node.id);
    const size = measured.get(node.id);
    const today = live?.get(node.id);
    return {
      id: node.id,
      type: 'policy',
      position: node.position,
      selected: selectedNodes.has(node.id),
      deletable: !isEntry(node.kind),
      ariaLabel: `${node.label || node.kind} (${node.kind})`,
      ...(size ? { measured: size } : {}),
      data: {
        node,
        outputs: nodeOutputs(node),
        summary: nodeSummary(node),
        errors: p?.errors ?? [],
        warnings: p?.warnings ?? [],
        onPath: highlight?.nodes.has(node.id) ?? false,
        wasPath: (highlight?.before?.nodes.has(node.id) ?? false) && !highlight!.nodes.has(node.id),
        offPath: highlight !== null && !highlight.nodes.has(node.id) && !highlight.before?.nodes.has(node.id),
        live: today?.lines ?? [],
        glance: today?.glance ?? null,
      },
    };
  });
  const edges = graph.edges.map((edge): Edge => {
    const onPath = highlight?.edges.has(edge.id) ?? false;
    const wasPath = !onPath && (highlight?.before?.edges.has(edge.id) ?? false);
    const classes = [onPath && 'on-path', wasPath && 'was-path', highlight && !onPath && !wasPath && 'off-path', badEdges.has(edge.id) && 'has-error'].filter(Boolean);
    return {
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
      selected: selectedEdges.has(edge.id),
      animated: onPath,
      className: classes.join(' '),
    };
  });
  return { nodes, edges };
}
