import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addNode,
  blankGraph,
  connect,
  copyNodes,
  freshNodeId,
  getAtPath,
  moveNodes,
  pasteClip,
  removeElements,
  setAtPath,
  updateNode,
} from '../../editor/src/state/graph-ops.js';
import { compile } from '../../shared/compiler/compile.js';
import { GraphSchema, NODE_KINDS } from '../../shared/graph.js';
import { defaultParams } from '../../shared/nodes/index.js';
import { applyEdit, conditionPolicy, graphEdit } from './editor-graphs.js';

const codes = (graph: unknown) => compile(graph).diagnostics.map((d) => d.code);

describe('blank graph', () => {
  it('is a valid graph holding only the Request node, whose one output still needs an edge', () => {
    const graph = blankGraph('new-policy', 'New policy');
    expect(GraphSchema.parse(graph)).toEqual(graph);
    expect(graph.nodes.map((n) => n.kind)).toEqual(['request']);
    expect(codes(graph)).toEqual(['TG006']);
  });
});

describe('adding nodes', () => {
  it('names a node after its kind in kebab case with the first free number', () => {
    let graph = blankGraph('p', 'P');
    const first = addNode(graph, 'rateLimit', { x: 0, y: 0 });
    const second = addNode(first.graph, 'rateLimit', { x: 0, y: 0 });
    expect([first.id, second.id]).toEqual(['rate-limit-1', 'rate-limit-2']);
    graph = removeElements(second.graph, ['rate-limit-1']);
    expect(freshNodeId(graph, 'rateLimit')).toBe('rate-limit-1');
    expect(freshNodeId(graph, 'rateLimit', new Set(['rate-limit-1']))).toBe('rate-limit-3');
  });

  it('gives the new node its kind title, the drop position and every default param', () => {
    for (const kind of NODE_KINDS) {
      const { graph, id } = addNode(blankGraph('p', 'P'), kind, { x: 12, y: 34 });
      const node = graph.nodes.find((n) => n.id === id);
      expect(node).toMatchObject({ kind, position: { x: 12, y: 34 }, params: defaultParams(kind) });
      expect(node?.label).not.toBe('');
      expect(compile(graph).diagnostics.filter((d) => d.code === 'TG007')).toEqual([]);
    }
  });
});

describe('connecting', () => {
  it('names an edge after its source and output', () => {
    const graph = connect(conditionPolicy(), { source: 'route-1', sourceHandle: 'onError', target: 'route-2' });
    expect(graph.edges.at(-1)).toEqual({ id: 'route-1.onError', source: 'route-1', sourceHandle: 'onError', target: 'route-2' });
  });

  it('moves the edge when an output that already has one is connected again', () => {
    const policy = conditionPolicy();
    const block = addNode(policy, 'block', { x: 0, y: 0 });
    const graph = connect(block.graph, { source: 'condition-1', sourceHandle: 'true', target: block.id });
    expect(graph.edges.filter((e) => e.source === 'condition-1' && e.sourceHandle === 'true')).toEqual([
      { id: 'condition-1.true', source: 'condition-1', sourceHandle: 'true', target: block.id },
    ]);
    expect(graph.edges).toHaveLength(policy.edges.length);
  });

  it('compiles the policy it builds without diagnostics', () => {
    const result = compile(conditionPolicy());
    expect(result.diagnostics).toEqual([]);
    expect(result.ruleCount).toBe(2);
  });
});

describe('removing', () => {
  it('removes the named nodes with every edge that touches them, and the named edges', () => {
    const graph = removeElements(conditionPolicy(), ['route-1'], ['request.next']);
    expect(graph.nodes.map((n) => n.id)).toEqual(['request', 'condition-1', 'route-2']);
    expect(graph.edges.map((e) => e.id)).toEqual(['condition-1.false']);
  });
});

describe('moving and updating', () => {
  it('moves only the nodes named in the map', () => {
    const graph = moveNodes(conditionPolicy(), new Map([['route-2', { x: 9, y: 8 }]]));
    expect(graph.nodes.find((n) => n.id === 'route-2')?.position).toEqual({ x: 9, y: 8 });
    expect(graph.nodes.find((n) => n.id === 'route-1')?.position).toEqual({ x: 400, y: 100 });
  });

  it('patches a node label or params and leaves the rest of the node', () => {
    const graph = updateNode(conditionPolicy(), 'route-2', { label: 'Cheap' });
    expect(graph.nodes.find((n) => n.id === 'route-2')).toMatchObject({ label: 'Cheap', kind: 'route', params: defaultParams('route') });
  });
});

describe('params paths', () => {
  it('sets a value deep inside params, copying only the objects on the way', () => {
    const params = { tests: [{ fact: 'model', value: 'a' }, { fact: 'tier', value: 'b' }], match: 'all' };
    const next = setAtPath(params, ['tests', 1, 'value'], 'c') as typeof params;
    expect(next).toEqual({ tests: [{ fact: 'model', value: 'a' }, { fact: 'tier', value: 'c' }], match: 'all' });
    expect(params.tests[1]?.value).toBe('b');
    expect(next.tests[0]).toBe(params.tests[0]);
    expect(Array.isArray(next.tests)).toBe(true);
  });

  it('removes an object key when the value set is undefined', () => {
    expect(setAtPath({ path: 'team', fact: 'tags' }, ['path'], undefined)).toEqual({ fact: 'tags' });
  });

  it('creates missing objects on the way and replaces the root for an empty path', () => {
    expect(setAtPath(undefined, ['tags', 'team'], 'x')).toEqual({ tags: { team: 'x' } });
    expect(setAtPath({ a: 1 }, [], 5)).toBe(5);
  });

  it('reads back what it set, and reads undefined through missing or scalar steps', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.nat(3)), { maxLength: 4 }), fc.jsonValue(), (path, value) => {
        const root = { a: [{ b: 1 }], c: 'text' };
        const before = structuredClone(root);
        expect(getAtPath(setAtPath(root, path, value), path)).toEqual(value);
        expect(root).toEqual(before);
      }),
    );
    expect(getAtPath({ a: 'text' }, ['a', 'b'])).toBeUndefined();
    expect(getAtPath({}, ['a', 0])).toBeUndefined();
  });
});

describe('copy and paste', () => {
  it('copies the selected nodes and only the edges between them', () => {
    const clip = copyNodes(conditionPolicy(), ['condition-1', 'route-1']);
    expect(clip.nodes.map((n) => n.id)).toEqual(['condition-1', 'route-1']);
    expect(clip.edges.map((e) => e.id)).toEqual(['condition-1.true']);
  });

  it('never copies the Request node', () => {
    expect(copyNodes(conditionPolicy(), ['request']).nodes).toEqual([]);
  });

  it('pastes copies with fresh ids, offset positions and their inner edges rewired to the copies', () => {
    const graph = conditionPolicy();
    const { graph: pasted, ids } = pasteClip(graph, copyNodes(graph, ['condition-1', 'route-1']));
    expect(ids).toEqual(['condition-2', 'route-3']);
    expect(pasted.nodes.find((n) => n.id === 'condition-2')?.position).toEqual({ x: 240, y: 240 });
    expect(pasted.nodes.find((n) => n.id === 'route-3')?.params).toEqual({ ...defaultParams('route'), model: 'gpt-4o' });
    expect(pasted.edges.slice(graph.edges.length)).toEqual([{ id: 'condition-2.true', source: 'condition-2', sourceHandle: 'true', target: 'route-3' }]);
    expect(GraphSchema.safeParse(pasted).success).toBe(true);
  });

  it('pastes deep copies, so editing a copy leaves the original', () => {
    const graph = conditionPolicy();
    const { graph: pasted } = pasteClip(graph, copyNodes(graph, ['condition-1']), { x: 0, y: 0 });
    const copy = pasted.nodes.find((n) => n.id === 'condition-2')!;
    (copy.params.tests as { value: unknown }[])[0]!.value = 'changed';
    expect(pasted.nodes.find((n) => n.id === 'condition-1')?.params).toEqual(graph.nodes.find((n) => n.id === 'condition-1')?.params);
  });
});

describe('graph edit properties', () => {
  it('never changes the graph it was given and always returns a graph the schema accepts', () => {
    fc.assert(
      fc.property(fc.array(graphEdit, { maxLength: 30 }), (edits) => {
        let graph = conditionPolicy();
        for (const edit of edits) {
          const before = structuredClone(graph);
          const next = applyEdit(graph, edit);
          expect(graph).toEqual(before);
          expect(GraphSchema.safeParse(next).success).toBe(true);
          graph = next;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps node ids and edge ids unique and every edge between existing nodes', () => {
    fc.assert(
      fc.property(fc.array(graphEdit, { maxLength: 30 }), (edits) => {
        const graph = edits.reduce(applyEdit, conditionPolicy());
        const nodeIds = graph.nodes.map((n) => n.id);
        expect(new Set(nodeIds).size).toBe(nodeIds.length);
        expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
        expect(graph.edges.every((e) => nodeIds.includes(e.source) && nodeIds.includes(e.target))).toBe(true);
        expect(codes(graph).filter((c) => c === 'TG000' || c === 'TG004' || c === 'TG009' || c === 'TG012')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('copying a selection that includes the Request node', () => {
  it('copies neither the Request node nor its edges, so a paste adds no dangling edge', () => {
    const start = blankGraph('p', 'P');
    const { graph: withRoute, id: routeId } = addNode(start, 'route', { x: 200, y: 0 });
    const connected = connect(withRoute, { source: 'request', sourceHandle: 'next', target: routeId });
    const clip = copyNodes(connected, ['request', routeId]);
    expect(clip.edges).toEqual([]);
    const pasted = pasteClip(connected, clip).graph;
    expect(pasted.edges).toHaveLength(1);
    expect(compile(pasted).diagnostics.map((d) => d.code)).not.toContain('TG000');
  });
});
