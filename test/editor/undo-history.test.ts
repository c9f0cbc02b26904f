import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editorReducer, type EditorAction, type EditorState, initialState, isDirty } from '../../editor/src/state/editor-store.js';
import { addNode, blankGraph, moveNodes, removeElements, updateNode } from '../../editor/src/state/graph-ops.js';
import type { Graph } from '../../shared/graph.js';
import { applyEdit, conditionPolicy, graphEdit } from './editor-graphs.js';

const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state);
const labelled = (graph: Graph, label: string) => updateNode(graph, 'request', { label });

describe('editor history', () => {
  it('undoes an edit back to the graph before it and redoes it again', () => {
    const start = blankGraph('p', 'P');
    const edited = addNode(start, 'route', { x: 1, y: 2 }).graph;
    const afterEdit = run(initialState(start), { type: 'edit', graph: edited });
    const undone = run(afterEdit, { type: 'undo' });
    expect(undone.graph).toBe(start);
    expect(undone.future).toEqual([edited]);
    expect(run(undone, { type: 'redo' }).graph).toBe(edited);
  });

  it('ignores undo with no past and redo with no future', () => {
    const state = initialState(blankGraph('p', 'P'));
    expect(run(state, { type: 'undo' })).toBe(state);
    expect(run(state, { type: 'redo' })).toBe(state);
  });

  it('ignores an edit that hands back the same graph object', () => {
    const state = initialState(blankGraph('p', 'P'));
    expect(run(state, { type: 'edit', graph: state.graph })).toBe(state);
  });

  it('drops the redo future when a new edit is made after an undo', () => {
    const start = blankGraph('p', 'P');
    const state = run(initialState(start), { type: 'edit', graph: labelled(start, 'a') }, { type: 'undo' }, { type: 'edit', graph: labelled(start, 'b') });
    expect(state.future).toEqual([]);
    expect(run(state, { type: 'redo' })).toBe(state);
  });

  it('merges consecutive edits with the same key into one undo step', () => {
    const start = blankGraph('p', 'P');
    const typed = run(
      initialState(start),
      { type: 'edit', graph: labelled(start, 'R'), key: 'request:label' },
      { type: 'edit', graph: labelled(start, 'Re'), key: 'request:label' },
      { type: 'edit', graph: labelled(start, 'Req'), key: 'request:label' },
    );
    expect(typed.past).toEqual([start]);
    expect(run(typed, { type: 'undo' }).graph).toBe(start);
  });

  it('starts a new undo step when the key changes or a selection intervenes', () => {
    const start = blankGraph('p', 'P');
    const a = labelled(start, 'a');
    const b = labelled(a, 'b');
    const c = labelled(b, 'c');
    const byKey = run(initialState(start), { type: 'edit', graph: a, key: 'x' }, { type: 'edit', graph: b, key: 'y' });
    expect(byKey.past).toEqual([start, a]);
    const bySelect = run(byKey, { type: 'select', nodes: ['request'], edges: [] }, { type: 'edit', graph: c, key: 'y' });
    expect(bySelect.past).toEqual([start, a, b]);
  });

  it('records a drag of many transient moves as one undo step back to where it began', () => {
    const start = conditionPolicy();
    let state = initialState(start);
    for (let x = 0; x < 5; x += 1) state = run(state, { type: 'transient', graph: moveNodes(state.graph, new Map([['route-1', { x, y: x }]])) });
    expect(state.past).toEqual([]);
    state = run(state, { type: 'dragEnd', before: start });
    expect(state.past).toEqual([start]);
    expect(state.graph.nodes.find((n) => n.id === 'route-1')?.position).toEqual({ x: 4, y: 4 });
    expect(run(state, { type: 'undo' }).graph).toBe(start);
  });

  it('records nothing for a drag that ends where it began', () => {
    const state = initialState(conditionPolicy());
    expect(run(state, { type: 'dragEnd', before: state.graph })).toBe(state);
  });

  it('keeps at most 200 undo steps, dropping the oldest', () => {
    let state = initialState(blankGraph('p', 'P'));
    for (let i = 0; i < 250; i += 1) state = run(state, { type: 'edit', graph: labelled(state.graph, `l${i}`) });
    expect(state.past).toHaveLength(200);
    expect(state.past[0]?.nodes[0]?.label).toBe('l49');
  });

  it('selects what an edit names, and otherwise drops selected nodes and edges the edit removed', () => {
    const graph = conditionPolicy();
    const selected = run(initialState(graph), { type: 'select', nodes: ['route-2', 'route-1'], edges: ['condition-1.false', 'condition-1.true'] });
    const removed = run(selected, { type: 'edit', graph: removeElements(graph, ['route-2']) });
    expect(removed.selection).toEqual({ nodes: ['route-1'], edges: ['condition-1.true'] });
    const added = addNode(removed.graph, 'block', { x: 0, y: 0 });
    expect(run(removed, { type: 'edit', graph: added.graph, select: [added.id] }).selection).toEqual({ nodes: [added.id], edges: [] });
  });

  it('drops selected nodes that an undo takes away', () => {
    const start = blankGraph('p', 'P');
    const added = addNode(start, 'route', { x: 0, y: 0 });
    const state = run(initialState(start), { type: 'edit', graph: added.graph, select: [added.id] }, { type: 'undo' });
    expect(state.selection.nodes).toEqual([]);
  });

  it('starts a fresh history on load and counts loads', () => {
    const first = conditionPolicy();
    const edited = run(initialState(blankGraph('p', 'P')), { type: 'edit', graph: labelled(blankGraph('p', 'P'), 'x') });
    const loaded = run(edited, { type: 'load', graph: first });
    expect(loaded).toMatchObject({ graph: first, baseline: first, past: [], future: [], loads: 1 });
    expect(run(loaded, { type: 'load', graph: first }).loads).toBe(2);
  });

  it('keeps the old baseline when a graph is loaded unsaved (an import), so it counts as a change', () => {
    const saved = blankGraph('p', 'P');
    const imported = conditionPolicy();
    const state = run(initialState(saved), { type: 'load', graph: imported, saved: false });
    expect(state.baseline).toBe(saved);
    expect(isDirty(state)).toBe(true);
  });

  it('is dirty after an edit, clean after saving, and clean again after undoing back to the saved graph', () => {
    const start = blankGraph('p', 'P');
    const edited = run(initialState(start), { type: 'edit', graph: labelled(start, 'x') });
    expect(isDirty(edited)).toBe(true);
    expect(isDirty(run(edited, { type: 'undo' }))).toBe(false);
    const saved = run(edited, { type: 'saved', graph: edited.graph });
    expect(isDirty(saved)).toBe(false);
    expect(saved.past).toEqual(edited.past);
  });

  it('treats an equal copy of the saved graph as clean', () => {
    const start = blankGraph('p', 'P');
    const state = run(initialState(start), { type: 'edit', graph: structuredClone(start) });
    expect(isDirty(state)).toBe(false);
  });
});

describe('editor history properties', () => {
  /** A step of a session: a graph edit (keyed or not), a drag, or a selection change that is no undo step. */
  const step = fc.oneof(
    fc.record({ kind: fc.constant('edit' as const), edit: graphEdit, keyed: fc.boolean() }),
    fc.record({ kind: fc.constant('drag' as const), moves: fc.array(graphEdit, { minLength: 1, maxLength: 4 }) }),
    fc.record({ kind: fc.constant('select' as const), node: fc.nat(50) }),
  );

  it('undoing as many times as there were undo steps gives back the starting graph, and redoing gives back the last', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const start = conditionPolicy();
        let state = initialState(start);
        let undoSteps = 0;
        steps.forEach((s, i) => {
          if (s.kind === 'edit') {
            // Unique keys: a key shared with the previous edit would merge the two steps.
            state = editorReducer(state, { type: 'edit', graph: applyEdit(state.graph, s.edit), ...(s.keyed ? { key: `k${i}` } : {}) });
            undoSteps += 1;
          } else if (s.kind === 'drag') {
            const before = state.graph;
            for (const move of s.moves) state = editorReducer(state, { type: 'transient', graph: applyEdit(state.graph, move) });
            state = editorReducer(state, { type: 'dragEnd', before });
            undoSteps += 1;
          } else {
            const node = state.graph.nodes[s.node % state.graph.nodes.length];
            state = editorReducer(state, { type: 'select', nodes: node ? [node.id] : [], edges: [] });
          }
        });
        const end = state.graph;
        expect(state.past).toHaveLength(undoSteps);
        for (let i = 0; i < undoSteps; i += 1) state = editorReducer(state, { type: 'undo' });
        expect(state.graph).toBe(start);
        expect(editorReducer(state, { type: 'undo' })).toBe(state);
        for (let i = 0; i < undoSteps; i += 1) state = editorReducer(state, { type: 'redo' });
        expect(state.graph).toBe(end);
        expect(state.future).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('never leaves a selected node or edge that the graph on the canvas does not have', () => {
    const action = fc.oneof(
      graphEdit.map((edit) => ({ type: 'edit' as const, edit })),
      fc.constant({ type: 'undo' as const }),
      fc.constant({ type: 'redo' as const }),
      fc.nat(50).map((n) => ({ type: 'selectAll' as const, n })),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state = initialState(conditionPolicy());
        for (const a of actions) {
          if (a.type === 'edit') state = editorReducer(state, { type: 'edit', graph: applyEdit(state.graph, a.edit) });
          else if (a.type === 'selectAll')
            state = editorReducer(state, { type: 'select', nodes: state.graph.nodes.map((n) => n.id), edges: state.graph.edges.map((e) => e.id) });
          else state = editorReducer(state, a);
          const nodes = new Set(state.graph.nodes.map((n) => n.id));
          const edges = new Set(state.graph.edges.map((e) => e.id));
          expect(state.selection.nodes.every((id) => nodes.has(id))).toBe(true);
          expect(state.selection.edges.every((id) => edges.has(id))).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
