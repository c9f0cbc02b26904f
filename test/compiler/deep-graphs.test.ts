import { describe, expect, it } from 'vitest';
import { checkConnection } from '../../editor/src/canvas/connection-rules.js';
import { compile } from '../../shared/compiler/compile.js';
import { GraphSchema, type GraphInput } from '../../shared/graph.js';
import { edge, node } from './graph-builders.js';

const SIZE = 10_000;

/** Request, then SIZE tag nodes one after another, then a route. */
function tagChain(): GraphInput {
  const nodes = [node('req', 'request'), ...Array.from({ length: SIZE }, (_, i) => node(`t${i}`, 'tag', { tags: { step: `s${i}` } })), node('r', 'route')];
  const edges = [edge('req', 'next', 't0'), ...Array.from({ length: SIZE }, (_, i) => edge(`t${i}`, 'next', i + 1 < SIZE ? `t${i + 1}` : 'r'))];
  return { id: 'chain', name: 'chain', nodes, edges };
}

/** A route whose onError chain is SIZE routes long. */
function fallbackChain(): GraphInput {
  const nodes = [node('req', 'request'), ...Array.from({ length: SIZE }, (_, i) => node(`r${i}`, 'route'))];
  const edges = [edge('req', 'next', 'r0'), ...Array.from({ length: SIZE - 1 }, (_, i) => edge(`r${i}`, 'onError', `r${i + 1}`))];
  return { id: 'fallbacks', name: 'fallbacks', nodes, edges };
}

/** Switches of 20 cases fanning out three levels: about 10,000 nodes, 8,000 of them routes. */
function wideTree(): GraphInput {
  const nodes: GraphInput['nodes'] = [node('req', 'request')];
  const edges: GraphInput['edges'] = [];
  const cases = Array.from({ length: 19 }, (_, i) => ({ operator: 'equal', value: i * 10 }));
  const grow = (id: string, depth: number) => {
    if (depth === 3) {
      nodes.push(node(id, 'route'));
      return;
    }
    nodes.push(node(id, 'switch', { fact: 'promptTokens', cases }));
    for (let i = 0; i <= cases.length; i++) {
      const child = `${id}-${i}`;
      edges.push(edge(id, i < cases.length ? `case${i}` : 'default', child));
      grow(child, depth + 1);
    }
  };
  edges.push(edge('req', 'next', 's'));
  grow('s', 0);
  return { id: 'wide', name: 'wide', nodes, edges };
}

describe('graphs of 10,000 nodes', () => {
  it('a 10,000-node chain compiles to one rule carrying every step', () => {
    const { ruleFile, diagnostics } = compile(tagChain());
    expect(diagnostics).toEqual([]);
    expect(ruleFile!.rules).toHaveLength(1);
    expect(ruleFile!.rules[0]!.event.params.path).toHaveLength(SIZE + 2);
    expect(ruleFile!.rules[0]!.event.params.actions).toHaveLength(SIZE + 1);
  });

  it('a 10,000-node chain closed into a loop is reported as a cycle, not a stack overflow', () => {
    const graph = tagChain();
    graph.edges!.push(edge('r', 'onError', 't0'));
    const { ruleFile, diagnostics } = compile(graph);
    expect(ruleFile).toBeNull();
    expect(diagnostics.map((d) => d.code)).toContain('TG003');
  });

  it('a fallback chain of 10,000 routes compiles with every fallback in order', () => {
    const { ruleFile } = compile(fallbackChain());
    const route = ruleFile!.rules[0]!.event.params.actions[0]!;
    expect(route.type === 'route' && route.fallbacks.map((f) => f.node)).toEqual(Array.from({ length: SIZE - 1 }, (_, i) => `r${i + 1}`));
  });

  it('a 10,000-node wide graph stops at the rule limit with the too-many-rules diagnostic', () => {
    const graph = wideTree();
    expect(graph.nodes!.length).toBeGreaterThan(8000);
    const { ruleFile, diagnostics } = compile(graph);
    expect(ruleFile).toBeNull();
    expect(diagnostics.map((d) => d.code)).toEqual(['TG014']);
  });

  it('the editor refuses the edge that would close a 10,000-node loop', () => {
    const graph = GraphSchema.parse(tagChain());
    expect(checkConnection(graph, { source: 'r', sourceHandle: 'onError', target: 't0' }).ok).toBe(false);
    expect(checkConnection(graph, { source: 't5', sourceHandle: 'next', target: 'r' })).toEqual({ ok: true });
  });
});
