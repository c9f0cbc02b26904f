import { Graph as DagreGraph, layout } from '@dagrejs/dagre';
import type { Graph } from '../../../shared/graph.js';
import { nodeOutputs } from './node-view.js';

export interface Size {
  width: number;
  height: number;
}

/**
 * Lays the policy out left to right with dagre. Edges are added in output order, which is
 * only a hint: dagre's crossing minimisation decides the vertical order of branches.
 */
export function autoLayout(graph: Graph, sizeOf: (id: string) => Size): Graph {
  const g = new DagreGraph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 36, ranksep: 90, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  // dagre writes its results into the label object, so each node gets its own copy of its size.
  for (const node of graph.nodes) g.setNode(node.id, { ...sizeOf(node.id) });
  const order = new Map(graph.nodes.map((n) => [n.id, nodeOutputs(n).map((o) => o.id)]));
  const edges = [...graph.edges].sort(
    (a, b) => (order.get(a.source)?.indexOf(a.sourceHandle) ?? 0) - (order.get(b.source)?.indexOf(b.sourceHandle) ?? 0),
  );
  for (const edge of edges) if (g.hasNode(edge.source) && g.hasNode(edge.target)) g.setEdge(edge.source, edge.target, {}, edge.id);
  layout(g);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id);
      const size = sizeOf(node.id);
      // dagre places centres; React Flow positions are top-left corners.
      return placed ? { ...node, position: { x: Math.round(placed.x - size.width / 2), y: Math.round(placed.y - size.height / 2) } } : node;
    }),
  };
}
