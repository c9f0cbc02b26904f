import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nodeOutputs } from '../../editor/src/canvas/node-view.js';
import { type Candidate, checkConnection } from '../../editor/src/canvas/connection-rules.js';
import { addNode, blankGraph, connect, updateNode } from '../../editor/src/state/graph-ops.js';
import { compile } from '../../shared/compiler/compile.js';
import type { Graph } from '../../shared/graph.js';
import { NODE_KINDS } from '../../shared/graph.js';
import { conditionPolicy } from './editor-graphs.js';

const candidate = (source: string | null, sourceHandle: string | null, target: string | null): Candidate => ({ source, sourceHandle, target });

function withNodes(graph: Graph, ...kinds: Parameters<typeof addNode>[1][]): Graph {
  return kinds.reduce((g, kind) => addNode(g, kind, { x: 0, y: 0 }).graph, graph);
}

describe('checkConnection', () => {
  it('accepts an edge from an existing output to another node', () => {
    expect(checkConnection(conditionPolicy(), candidate('route-1', 'onError', 'route-2'))).toEqual({ ok: true });
  });

  it('rejects a connection still missing its source, handle or target', () => {
    const graph = conditionPolicy();
    for (const c of [candidate(null, 'true', 'route-1'), candidate('condition-1', null, 'route-1'), candidate('condition-1', 'true', null)]) {
      expect(checkConnection(graph, c)).toEqual({ ok: false, reason: 'incomplete connection' });
    }
  });

  it('rejects a node leading to itself', () => {
    expect(checkConnection(conditionPolicy(), candidate('route-1', 'onError', 'route-1')).ok).toBe(false);
  });

  it('rejects nodes that are not in the graph', () => {
    expect(checkConnection(conditionPolicy(), candidate('ghost', 'next', 'route-1'))).toEqual({ ok: false, reason: 'unknown node' });
    expect(checkConnection(conditionPolicy(), candidate('condition-1', 'true', 'ghost'))).toEqual({ ok: false, reason: 'unknown node' });
  });

  it('rejects an output the source node does not have', () => {
    expect(checkConnection(conditionPolicy(), candidate('condition-1', 'maybe', 'route-1'))).toEqual({
      ok: false,
      reason: 'condition-1 has no output "maybe"',
    });
  });

  it('reads outputs from the params as edited, so a switch case added in the inspector can be connected', () => {
    const graph = withNodes(conditionPolicy(), 'switch');
    expect(checkConnection(graph, candidate('switch-1', 'case2', 'route-1')).ok).toBe(false);
    const cases = [...((graph.nodes.at(-1)!.params.cases as unknown[]) ?? []), { operator: 'equal', value: 'moderate', label: '' }];
    const edited = updateNode(graph, 'switch-1', { params: { ...graph.nodes.at(-1)!.params, cases } });
    expect(checkConnection(edited, candidate('switch-1', 'case2', 'route-1')).ok).toBe(true);
  });

  it('rejects anything leading into the Request node', () => {
    expect(checkConnection(conditionPolicy(), candidate('condition-1', 'true', 'request'))).toEqual({
      ok: false,
      reason: 'nothing may lead into the Request node',
    });
  });

  it('lets a route onError lead only to another route', () => {
    const graph = withNodes(conditionPolicy(), 'block', 'degrade');
    expect(checkConnection(graph, candidate('route-1', 'onError', 'block-1'))).toEqual({ ok: false, reason: 'onError leads only to another Route' });
    expect(checkConnection(graph, candidate('route-1', 'onError', 'degrade-1')).ok).toBe(false);
    expect(checkConnection(graph, candidate('route-1', 'onError', 'route-2')).ok).toBe(true);
  });

  it('rejects an edge that closes a loop, however long', () => {
    let graph = withNodes(conditionPolicy(), 'tag', 'cache');
    graph = connect(connect(graph, { source: 'condition-1', sourceHandle: 'false', target: 'tag-1' }), { source: 'tag-1', sourceHandle: 'next', target: 'cache-1' });
    expect(checkConnection(graph, candidate('cache-1', 'next', 'condition-1'))).toEqual({ ok: false, reason: 'this would make a loop' });
    expect(checkConnection(graph, candidate('cache-1', 'next', 'tag-1')).ok).toBe(false);
    expect(checkConnection(graph, candidate('cache-1', 'next', 'route-2')).ok).toBe(true);
  });

  it('rejects a route fallback chain that loops back to its first route', () => {
    const graph = connect(conditionPolicy(), { source: 'route-1', sourceHandle: 'onError', target: 'route-2' });
    expect(checkConnection(graph, candidate('route-2', 'onError', 'route-1')).ok).toBe(false);
  });

  it('allows re-connecting an output when only its current edge formed the path back', () => {
    // tag-1.next → cache-1 → tag-1 would loop, but moving tag-1.next itself removes the old path.
    let graph = withNodes(conditionPolicy(), 'tag', 'cache');
    graph = connect(connect(graph, { source: 'condition-1', sourceHandle: 'false', target: 'tag-1' }), { source: 'tag-1', sourceHandle: 'next', target: 'cache-1' });
    graph = connect(graph, { source: 'cache-1', sourceHandle: 'next', target: 'route-2' });
    expect(checkConnection(graph, candidate('tag-1', 'next', 'route-2')).ok).toBe(true);
    expect(checkConnection(graph, candidate('cache-1', 'next', 'tag-1')).ok).toBe(false);
  });
});

describe('checkConnection against the compiler', () => {
  /** Diagnostics a drawn edge must never cause: checkConnection exists to keep them off the canvas. */
  const EDGE_ERRORS = new Set(['TG003', 'TG004', 'TG009', 'TG010', 'TG013']);

  const kinds = fc.array(fc.constantFrom(...NODE_KINDS), { minLength: 1, maxLength: 8 });
  const attempt = fc.record({ source: fc.nat(20), handle: fc.nat(20), target: fc.nat(20), bogusHandle: fc.boolean() });

  it('never accepts an edge after which the compiled graph reports a cycle, dangling edge, ambiguous output, bad fallback or input into the entry', () => {
    fc.assert(
      fc.property(kinds, fc.array(attempt, { minLength: 1, maxLength: 30 }), (added, attempts) => {
        let graph = withNodes(blankGraph('p', 'P'), ...added);
        for (const a of attempts) {
          const source = graph.nodes[a.source % graph.nodes.length]!;
          const target = graph.nodes[a.target % graph.nodes.length]!;
          const outputs = nodeOutputs(source);
          const handle = a.bogusHandle || outputs.length === 0 ? 'nowhere' : outputs[a.handle % outputs.length]!.id;
          if (!checkConnection(graph, candidate(source.id, handle, target.id)).ok) continue;
          graph = connect(graph, { source: source.id, sourceHandle: handle, target: target.id });
          const bad = compile(graph).diagnostics.filter((d) => EDGE_ERRORS.has(d.code));
          expect(bad, JSON.stringify(graph.edges)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('rejects every self-loop, edge into a Request node and onError edge into a non-route', () => {
    fc.assert(
      fc.property(kinds, fc.nat(20), fc.nat(20), (added, s, t) => {
        const graph = withNodes(blankGraph('p', 'P'), ...added);
        const source = graph.nodes[s % graph.nodes.length]!;
        const target = graph.nodes[t % graph.nodes.length]!;
        for (const output of nodeOutputs(source)) {
          const verdict = checkConnection(graph, candidate(source.id, output.id, target.id));
          const illegal =
            source.id === target.id || target.kind === 'request' || (source.kind === 'route' && output.id === 'onError' && target.kind !== 'route');
          expect(verdict.ok).toBe(!illegal);
        }
      }),
      { numRuns: 300 },
    );
  });
});
