import { describe, expect, it } from 'vitest';
import { addAfter, freeOutput, kindsAfter, placeAfter } from '../../editor/src/state/add-after.js';
import { blankGraph } from '../../editor/src/state/graph-ops.js';
import { searchKinds } from '../../editor/src/palette/kind-search.js';
import { compile } from '../../shared/compiler/compile.js';
import type { Graph, NodeKind } from '../../shared/graph.js';
import { NODE_KINDS } from '../../shared/graph.js';
import { conditionPolicy } from './editor-graphs.js';

const SIZE = { width: 200, height: 110 };
const sizeOf = () => SIZE;

function after(graph: Graph, kind: NodeKind, source: string, sourceHandle: string): { graph: Graph; id: string } {
  const added = addAfter(graph, { kind, source, sourceHandle, sizeOf });
  if ('error' in added) throw new Error(added.error);
  return added;
}

const overlap = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.abs(a.x - b.x) < SIZE.width && Math.abs(a.y - b.y) < SIZE.height;

describe('adding a node after an output', () => {
  it('connects the new node to the output and places it to the right of its source', () => {
    const { graph, id } = after(blankGraph('p', 'P'), 'cache', 'request', 'next');
    expect(graph.edges).toEqual([{ id: 'request.next', source: 'request', sourceHandle: 'next', target: id }]);
    const node = graph.nodes.find((n) => n.id === id)!;
    expect(node.position.x).toBeGreaterThan(SIZE.width);
    expect(node.label).toBe('Cache');
  });

  it('places the two branches of a condition apart, overlapping nothing', () => {
    let graph = after(blankGraph('p', 'P'), 'condition', 'request', 'next').graph;
    graph = after(graph, 'route', 'condition-1', 'true').graph;
    graph = after(graph, 'route', 'condition-1', 'false').graph;
    const positions = graph.nodes.map((n) => n.position);
    for (const [i, a] of positions.entries()) for (const b of positions.slice(i + 1)) expect(overlap(a, b)).toBe(false);
    const [yes, no] = ['route-1', 'route-2'].map((id) => graph.nodes.find((n) => n.id === id)!.position.y);
    expect(yes!).toBeLessThan(no!);
  });

  it('builds a policy that compiles without errors from "+" alone', () => {
    let graph = after(blankGraph('p', 'P'), 'cache', 'request', 'next').graph;
    graph = after(graph, 'condition', 'cache-1', 'next').graph;
    graph = after(graph, 'route', 'condition-1', 'true').graph;
    graph = after(graph, 'route', 'condition-1', 'false').graph;
    graph = after(graph, 'route', 'route-2', 'onError').graph;
    const result = compile(graph);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.ruleCount).toBe(2);
  });

  it('inserts between when the output already leads somewhere', () => {
    const { graph, id } = after(conditionPolicy(), 'cache', 'request', 'next');
    expect(graph.edges.find((e) => e.source === 'request')?.target).toBe(id);
    expect(graph.edges.find((e) => e.source === id)?.target).toBe('condition-1');
  });

  it('refuses a kind the output may not lead to, with the reason', () => {
    const graph = conditionPolicy();
    expect(addAfter(graph, { kind: 'cache', source: 'route-1', sourceHandle: 'onError', sizeOf })).toEqual({ error: 'onError leads only to another Route' });
    expect(kindsAfter(graph, 'route-1', 'onError')).toEqual(['route']);
    expect(kindsAfter(graph, 'request', 'next')).toEqual(NODE_KINDS.filter((k) => k !== 'request'));
  });

  it('finds the first free output, leaving an optional onError for last', () => {
    const graph = after(blankGraph('p', 'P'), 'budget', 'request', 'next').graph;
    expect(freeOutput(graph, 'budget-1', 'route')).toBe('ok');
    expect(freeOutput(after(graph, 'route', 'budget-1', 'ok').graph, 'budget-1', 'route')).toBe('over');
    expect(freeOutput(graph, 'request', 'route')).toBeNull();
    const routed = after(graph, 'route', 'budget-1', 'ok').graph;
    expect(freeOutput(routed, 'route-1', 'cache')).toBeNull();
    expect(freeOutput(routed, 'route-1', 'route')).toBe('onError');
  });

  it('pushes a new node down past one already in its spot', () => {
    const graph = blankGraph('p', 'P');
    const spot = placeAfter(graph, { source: 'request', sourceHandle: 'next', size: SIZE, sizeOf });
    const blocked: Graph = { ...graph, nodes: [...graph.nodes, { id: 'x', kind: 'block', label: 'x', position: spot, params: {} }] };
    const moved = placeAfter(blocked, { source: 'request', sourceHandle: 'next', size: SIZE, sizeOf });
    expect(moved.x).toBe(spot.x);
    expect(moved.y).toBeGreaterThanOrEqual(spot.y + SIZE.height);
  });
});

describe('searching node kinds', () => {
  it('puts title prefixes first, then words in the description', () => {
    expect(searchKinds('ca', NODE_KINDS)[0]).toBe('cache');
    expect(searchKinds('cheaper', NODE_KINDS)).toContain('degrade');
    expect(searchKinds('', ['route', 'cache'])).toEqual(['route', 'cache']);
    expect(searchKinds('zzz', NODE_KINDS)).toEqual([]);
  });
});
