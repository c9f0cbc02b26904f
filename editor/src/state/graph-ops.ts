import type { Graph, GraphEdge, GraphNode, NodeKind } from '../../../shared/graph.js';
import { defaultParams, isEntry, NODE_SPECS } from '../../../shared/nodes/index.js';

/** Pure edits of a policy graph; each returns a new graph and leaves the old one untouched (history keeps it). */

const kebab = (kind: string) => kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function freshNodeId(graph: Graph, kind: NodeKind, taken: ReadonlySet<string> = new Set()): string {
  const ids = new Set([...graph.nodes.map((n) => n.id), ...taken]);
  for (let i = 1; ; i += 1) {
    const id = `${kebab(kind)}-${i}`;
    if (!ids.has(id)) return id;
  }
}

function freshEdgeId(edges: readonly GraphEdge[], source: string, handle: string): string {
  const ids = new Set(edges.map((e) => e.id));
  const base = `${source}.${handle}`;
  if (!ids.has(base)) return base;
  for (let i = 2; ; i += 1) if (!ids.has(`${base}-${i}`)) return `${base}-${i}`;
}

export function addNode(graph: Graph, kind: NodeKind, position: { x: number; y: number }): { graph: Graph; id: string } {
  const id = freshNodeId(graph, kind);
  const node: GraphNode = { id, kind, label: NODE_SPECS[kind].title, position, params: defaultParams(kind) };
  return { graph: { ...graph, nodes: [...graph.nodes, node] }, id };
}

export function connect(graph: Graph, { source, sourceHandle, target }: Pick<GraphEdge, 'source' | 'sourceHandle' | 'target'>): Graph {
  // One edge per output: connecting an output again moves its edge.
  const edges = graph.edges.filter((e) => !(e.source === source && e.sourceHandle === sourceHandle));
  const edge: GraphEdge = { id: freshEdgeId(edges, source, sourceHandle), source, sourceHandle, target };
  return { ...graph, edges: [...edges, edge] };
}

export function removeElements(graph: Graph, nodeIds: readonly string[], edgeIds: readonly string[] = []): Graph {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !nodes.has(n.id)),
    edges: graph.edges.filter((e) => !edges.has(e.id) && !nodes.has(e.source) && !nodes.has(e.target)),
  };
}

export function moveNodes(graph: Graph, positions: ReadonlyMap<string, { x: number; y: number }>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (positions.has(n.id) ? { ...n, position: positions.get(n.id)! } : n)) };
}

export function updateNode(graph: Graph, id: string, patch: Partial<Pick<GraphNode, 'label' | 'params'>>): Graph {
  return { ...graph, nodes: graph.nodes.map((n) => (n.id === id ? { ...n, ...patch } : n)) };
}

/** Sets one value at a dotted path inside params, copying only the objects on the way. */
export function setAtPath(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = Array.isArray(root) ? [...root] : { ...(typeof root === 'object' && root !== null ? root : {}) };
  const current = (container as Record<string | number, unknown>)[head!];
  const next = setAtPath(current, rest, value);
  if (next === undefined && !Array.isArray(container)) delete (container as Record<string, unknown>)[head as string];
  else (container as Record<string | number, unknown>)[head!] = next;
  return container;
}

export function getAtPath(root: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((v, key) => (typeof v === 'object' && v !== null ? (v as Record<string | number, unknown>)[key] : undefined), root);
}

export interface Clip {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The selected nodes and the edges between them, ready to paste. */
export function copyNodes(graph: Graph, ids: readonly string[]): Clip {
  const set = new Set(ids);
  const nodes = graph.nodes.filter((n) => set.has(n.id) && !isEntry(n.kind));
  // Edges are chosen from the nodes actually copied: a selected Request node is left out, and so are its edges.
  const copied = new Set(nodes.map((n) => n.id));
  return { nodes, edges: graph.edges.filter((e) => copied.has(e.source) && copied.has(e.target)) };
}

/** Pastes a clip with fresh ids, offset so the copies do not hide the originals. */
export function pasteClip(graph: Graph, clip: Clip, offset = { x: 40, y: 40 }): { graph: Graph; ids: string[] } {
  const rename = new Map<string, string>();
  const taken = new Set<string>();
  for (const node of clip.nodes) {
    const id = freshNodeId(graph, node.kind, taken);
    taken.add(id);
    rename.set(node.id, id);
  }
  const nodes = clip.nodes.map((n) => ({
    ...structuredClone(n),
    id: rename.get(n.id)!,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  let next: Graph = { ...graph, nodes: [...graph.nodes, ...nodes] };
  for (const e of clip.edges) next = connect(next, { source: rename.get(e.source)!, sourceHandle: e.sourceHandle, target: rename.get(e.target)! });
  return { graph: next, ids: nodes.map((n) => n.id) };
}

export function blankGraph(id: string, name: string): Graph {
  return {
    id,
    name,
    description: '',
    version: 1,
    updatedAt: '1970-01-01T00:00:00.000Z',
    nodes: [{ id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 200 }, params: {} }],
    edges: [],
  };
}
