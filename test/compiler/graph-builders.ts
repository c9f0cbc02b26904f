import type { GraphInput } from '../../shared/graph.js';

type NodeInput = GraphInput['nodes'][number];

export const node = (id: string, kind: NodeInput['kind'], params: Record<string, unknown> = {}): NodeInput => ({
  id,
  kind,
  label: '',
  position: { x: 0, y: 0 },
  params,
});
export const edge = (source: string, sourceHandle: string, target: string) => ({ id: `${source}.${sourceHandle}`, source, sourceHandle, target });

/** A chain of `depth` conditions whose both outputs lead to the next: 2^depth paths. */
export function exponentialGraph(depth: number): GraphInput {
  const nodes: NodeInput[] = [node('req', 'request')];
  const edges = [edge('req', 'next', 'c0')];
  for (let i = 0; i < depth; i++) {
    nodes.push(node(`c${i}`, 'condition', { tests: [{ fact: 'promptTokens', operator: 'greaterThan', value: i * 100 }] }));
    const next = i + 1 < depth ? `c${i + 1}` : 'r';
    edges.push(edge(`c${i}`, 'true', next), edge(`c${i}`, 'false', next));
  }
  nodes.push(node('r', 'route', { model: 'gpt-4o-mini' }));
  return { id: 'exp', name: 'exp', nodes, edges };
}
