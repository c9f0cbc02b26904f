import fc from 'fast-check';
import { nodeOutputs } from '../../editor/src/canvas/node-view.js';
import { addNode, blankGraph, connect, moveNodes, removeElements, updateNode } from '../../editor/src/state/graph-ops.js';
import type { Graph, NodeKind } from '../../shared/graph.js';
import { NODE_KINDS } from '../../shared/graph.js';
import { defaultParams } from '../../shared/nodes/index.js';

/** Request → condition → (true: gpt-4o, false: gpt-4o-mini), built with the editor's own edits. */
export function conditionPolicy(): Graph {
  let graph = blankGraph('policy', 'Policy');
  const condition = addNode(graph, 'condition', { x: 200, y: 200 });
  const big = addNode(condition.graph, 'route', { x: 400, y: 100 });
  const small = addNode(big.graph, 'route', { x: 400, y: 300 });
  graph = updateNode(small.graph, big.id, { params: { ...defaultParams('route'), model: 'gpt-4o' } });
  graph = connect(graph, { source: 'request', sourceHandle: 'next', target: condition.id });
  graph = connect(graph, { source: condition.id, sourceHandle: 'true', target: big.id });
  return connect(graph, { source: condition.id, sourceHandle: 'false', target: small.id });
}

/** One edit as the canvas or inspector makes it; numbers pick nodes and handles modulo what exists. */
export type GraphEdit =
  | { type: 'add'; kind: NodeKind; x: number; y: number }
  | { type: 'connect'; source: number; handle: number; target: number }
  | { type: 'remove'; node: number }
  | { type: 'move'; node: number; x: number; y: number }
  | { type: 'label'; node: number; label: string };

const coord = fc.integer({ min: -2000, max: 2000 });
const pick = fc.nat(50);

export const graphEdit: fc.Arbitrary<GraphEdit> = fc.oneof(
  fc.record({ type: fc.constant('add' as const), kind: fc.constantFrom(...NODE_KINDS.filter((k) => k !== 'request')), x: coord, y: coord }),
  fc.record({ type: fc.constant('connect' as const), source: pick, handle: pick, target: pick }),
  fc.record({ type: fc.constant('remove' as const), node: pick }),
  fc.record({ type: fc.constant('move' as const), node: pick, x: coord, y: coord }),
  fc.record({ type: fc.constant('label' as const), node: pick, label: fc.string({ maxLength: 20 }) }),
);

const nth = <T>(items: readonly T[], index: number): T | undefined => (items.length === 0 ? undefined : items[index % items.length]);

/** Applies one edit with graph-ops; always returns a new graph object, as every editor edit does. */
export function applyEdit(graph: Graph, edit: GraphEdit): Graph {
  switch (edit.type) {
    case 'add':
      return addNode(graph, edit.kind, { x: edit.x, y: edit.y }).graph;
    case 'connect': {
      const source = nth(graph.nodes, edit.source);
      const target = nth(graph.nodes, edit.target);
      const handle = source && nth(nodeOutputs(source), edit.handle);
      if (!source || !target || !handle) return { ...graph };
      return connect(graph, { source: source.id, sourceHandle: handle.id, target: target.id });
    }
    case 'remove': {
      const node = nth(graph.nodes, edit.node);
      return removeElements(graph, node ? [node.id] : []);
    }
    case 'move': {
      const node = nth(graph.nodes, edit.node);
      return moveNodes(graph, new Map(node ? [[node.id, { x: edit.x, y: edit.y }]] : []));
    }
    case 'label': {
      const node = nth(graph.nodes, edit.node);
      return node ? updateNode(graph, node.id, { label: edit.label }) : { ...graph };
    }
  }
}
