import type { Graph, GraphNode, NodeKind } from '../../../shared/graph.js';
import { defaultParams, NODE_SPECS } from '../../../shared/nodes/index.js';
import { checkConnection } from '../canvas/connection-rules.js';
import { nodeOutputs } from '../canvas/node-view.js';
import { connect, freshNodeId } from './graph-ops.js';

export interface Size {
  width: number;
  height: number;
}

export interface AddAfterOptions {
  kind: NodeKind;
  source: string;
  sourceHandle: string;
  sizeOf(id: string): Size;
}

const GAP_X = 90;
const GAP_Y = 36;

function overlaps(a: { x: number; y: number } & Size, b: { x: number; y: number } & Size): boolean {
  return a.x < b.x + b.width + 12 && b.x < a.x + a.width + 12 && a.y < b.y + b.height + 12 && b.y < a.y + a.height + 12;
}

/**
 * Where a node added after an output goes: one column right of its source, at the height of that
 * output among its siblings, then pushed down until it overlaps nothing (the new branch is laid
 * out without moving what the owner has placed).
 */
export function placeAfter(graph: Graph, options: { source: string; sourceHandle: string; size: Size; sizeOf(id: string): Size }): { x: number; y: number } {
  const source = graph.nodes.find((n) => n.id === options.source);
  if (!source) return { x: 0, y: 0 };
  const from = options.sizeOf(source.id);
  const outputs = nodeOutputs(source);
  const index = Math.max(0, outputs.findIndex((o) => o.id === options.sourceHandle));
  const step = options.size.height + GAP_Y;
  const spot = { x: source.position.x + from.width + GAP_X, y: Math.round(source.position.y + (index - (outputs.length - 1) / 2) * step), ...options.size };
  const others = graph.nodes.map((n) => ({ ...n.position, ...options.sizeOf(n.id) }));
  while (others.some((o) => overlaps(spot, o))) spot.y += 24;
  return { x: spot.x, y: spot.y };
}

/** The first output of a node that has no edge yet and may lead to a node of this kind, if any. */
export function freeOutput(graph: Graph, nodeId: string, kind: NodeKind): string | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  const taken = new Set(graph.edges.filter((e) => e.source === nodeId).map((e) => e.sourceHandle));
  const free = nodeOutputs(node).filter((o) => !taken.has(o.id) && (!o.onlyTo || o.onlyTo === kind));
  // A required output before an optional one: onError is the last thing a route needs.
  return (free.find((o) => !o.optional) ?? free[0])?.id ?? null;
}

/**
 * Adds a node of a kind after an output, connected and placed. When the output already led
 * somewhere, the new node goes in between: its first output takes over the old target.
 */
export function addAfter(graph: Graph, options: AddAfterOptions): { graph: Graph; id: string } | { error: string } {
  const { kind, source, sourceHandle } = options;
  const id = freshNodeId(graph, kind);
  const size = options.sizeOf(id);
  const position = placeAfter(graph, { source, sourceHandle, size, sizeOf: options.sizeOf });
  const node: GraphNode = { id, kind, label: NODE_SPECS[kind].title, position, params: defaultParams(kind) };
  const withNode: Graph = { ...graph, nodes: [...graph.nodes, node] };
  const verdict = checkConnection(withNode, { source, sourceHandle, target: id });
  if (!verdict.ok) return { error: verdict.reason };
  const previous = graph.edges.find((e) => e.source === source && e.sourceHandle === sourceHandle);
  let next = connect(withNode, { source, sourceHandle, target: id });
  const onward = previous ? nodeOutputs(node).find((o) => !o.optional && !o.onlyTo) : undefined;
  if (previous && onward) next = connect(next, { source: id, sourceHandle: onward.id, target: previous.target });
  return { graph: next, id };
}

/** The kinds that may follow an output, in palette order (a route's onError allows only a Route). */
export function kindsAfter(graph: Graph, source: string, sourceHandle: string): NodeKind[] {
  const node = graph.nodes.find((n) => n.id === source);
  const output = node ? nodeOutputs(node).find((o) => o.id === sourceHandle) : undefined;
  return (Object.keys(NODE_SPECS) as NodeKind[]).filter((k) => NODE_SPECS[k].category !== 'entry' && (!output?.onlyTo || output.onlyTo === k));
}
