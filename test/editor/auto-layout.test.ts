import { describe, expect, it } from 'vitest';
import { autoLayout } from '../../editor/src/canvas/auto-layout.js';
import { addNode, connect } from '../../editor/src/state/graph-ops.js';
import type { Graph } from '../../shared/graph.js';
import { conditionPolicy } from './editor-graphs.js';

const size = { width: 200, height: 80 };
// A fresh object per call: dagre writes its layout into the label it is given (see the report on shared size objects).
const sizeOf = () => ({ ...size });
const positionOf = (graph: Graph, id: string) => graph.nodes.find((n) => n.id === id)!.position;

function overlaps(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return a.x < b.x + size.width && b.x < a.x + size.width && a.y < b.y + size.height && b.y < a.y + size.height;
}

describe('autoLayout', () => {
  it('places every edge left to right', () => {
    const graph = autoLayout(conditionPolicy(), sizeOf);
    for (const edge of graph.edges) expect(positionOf(graph, edge.source).x).toBeLessThan(positionOf(graph, edge.target).x);
  });

  it('lays a graph out the same whatever order its edges are stored in', () => {
    const policy = conditionPolicy();
    const forward = autoLayout(policy, sizeOf);
    const reversed = autoLayout({ ...policy, edges: [...policy.edges].reverse() }, sizeOf);
    expect(reversed.nodes.map((n) => n.position)).toEqual(forward.nodes.map((n) => n.position));
  });

  it('stacks the branches of a condition one above the other in the same column', () => {
    const graph = autoLayout(conditionPolicy(), sizeOf);
    expect(positionOf(graph, 'route-1').x).toBe(positionOf(graph, 'route-2').x);
    expect(Math.abs(positionOf(graph, 'route-1').y - positionOf(graph, 'route-2').y)).toBeGreaterThanOrEqual(size.height);
  });

  it('places nodes on whole pixels without overlapping', () => {
    let graph = conditionPolicy();
    const tag = addNode(graph, 'tag', { x: 0, y: 0 });
    const block = addNode(tag.graph, 'block', { x: 0, y: 0 });
    graph = connect(connect(block.graph, { source: 'route-1', sourceHandle: 'onError', target: 'route-2' }), { source: tag.id, sourceHandle: 'next', target: block.id });
    const laid = autoLayout(graph, sizeOf);
    for (const [i, a] of laid.nodes.entries()) {
      expect(Number.isInteger(a.position.x) && Number.isInteger(a.position.y)).toBe(true);
      for (const b of laid.nodes.slice(i + 1)) expect(overlaps(a.position, b.position), `${a.id} overlaps ${b.id}`).toBe(false);
    }
  });

  it('changes only positions and leaves the graph it was given', () => {
    const policy = conditionPolicy();
    const before = structuredClone(policy);
    const laid = autoLayout(policy, sizeOf);
    expect(policy).toEqual(before);
    expect(laid.edges).toEqual(policy.edges);
    expect(laid.nodes.map(({ position: _, ...rest }) => rest)).toEqual(policy.nodes.map(({ position: _, ...rest }) => rest));
  });

  it('ignores an edge to a node that does not exist', () => {
    const policy = conditionPolicy();
    const graph = { ...policy, edges: [...policy.edges, { id: 'route-1.onError', source: 'route-1', sourceHandle: 'onError', target: 'ghost' }] };
    expect(autoLayout(graph, sizeOf).nodes.map((n) => n.id)).toEqual(policy.nodes.map((n) => n.id));
  });
});

describe('auto-layout with one shared size object', () => {
  it('places nodes apart and leaves the caller’s size object unchanged', () => {
    const size = { width: 200, height: 80 };
    const out = autoLayout(conditionPolicy(), () => size);
    expect(size).toEqual({ width: 200, height: 80 });
    const positions = new Set(out.nodes.map((n) => `${n.position.x},${n.position.y}`));
    expect(positions.size).toBe(out.nodes.length);
  });
});
