import { describe, expect, it } from 'vitest';
import { type FlowInput, toFlow } from '../../editor/src/canvas/flow-model.js';
import { nodeOutputs, nodeSummary, problemsByNode } from '../../editor/src/canvas/node-view.js';
import { updateNode } from '../../editor/src/state/graph-ops.js';
import { diag } from '../../shared/diagnostics.js';
import { conditionPolicy } from './editor-graphs.js';

const input = (over: Partial<FlowInput> = {}): FlowInput => ({
  graph: conditionPolicy(),
  selection: { nodes: [], edges: [] },
  diagnostics: [],
  highlight: null,
  measured: new Map(),
  ...over,
});

describe('toFlow', () => {
  it('gives one React Flow node per graph node, at its position, with its outputs and summary', () => {
    const given = input();
    const { graph } = given;
    const { nodes } = toFlow(given);
    expect(nodes.map((n) => n.id)).toEqual(graph.nodes.map((n) => n.id));
    const condition = nodes.find((n) => n.id === 'condition-1')!;
    expect(condition).toMatchObject({ type: 'policy', position: { x: 200, y: 200 }, selected: false, deletable: true });
    expect(condition.data.outputs.map((o) => o.id)).toEqual(['true', 'false']);
    expect(condition.data.summary).toBe(nodeSummary(graph.nodes[1]!));
    expect(condition.data.node).toBe(graph.nodes[1]);
  });

  it('keeps the Request node from being deleted', () => {
    const { nodes } = toFlow(input());
    expect(nodes.filter((n) => !n.deletable).map((n) => n.id)).toEqual(['request']);
  });

  it('labels a node for screen readers by its label, or its kind when the label is empty', () => {
    const graph = updateNode(conditionPolicy(), 'route-2', { label: '' });
    const { nodes } = toFlow(input({ graph }));
    expect(nodes.find((n) => n.id === 'request')?.ariaLabel).toBe('Request (request)');
    expect(nodes.find((n) => n.id === 'route-2')?.ariaLabel).toBe('route (route)');
  });

  it('gives one edge per graph edge with its handle, and marks the selected nodes and edges', () => {
    const { nodes, edges } = toFlow(input({ selection: { nodes: ['route-1'], edges: ['condition-1.false'] } }));
    expect(nodes.filter((n) => n.selected).map((n) => n.id)).toEqual(['route-1']);
    expect(edges.find((e) => e.id === 'condition-1.false')).toMatchObject({
      source: 'condition-1',
      sourceHandle: 'false',
      target: 'route-2',
      selected: true,
      animated: false,
      className: '',
    });
    expect(edges.filter((e) => e.selected)).toHaveLength(1);
  });

  it('hands measured sizes back to React Flow only for nodes that have one', () => {
    const { nodes } = toFlow(input({ measured: new Map([['route-1', { width: 220, height: 90 }]]) }));
    expect(nodes.find((n) => n.id === 'route-1')?.measured).toEqual({ width: 220, height: 90 });
    expect(nodes.find((n) => n.id === 'route-2')).not.toHaveProperty('measured');
  });

  it('puts each diagnostic on its node by severity and marks edges with errors', () => {
    const diagnostics = [
      diag.invalidParam('condition-1', 'tests.0.value', 'Test 1 value', 'expected a number'),
      diag.unreachable('route-2'),
      diag.danglingEdge('condition-1.true', 'condition-1', 'leads nowhere'),
      diag.noEntry(),
    ];
    const { nodes, edges } = toFlow(input({ diagnostics }));
    const condition = nodes.find((n) => n.id === 'condition-1')!;
    expect(condition.data.errors.map((d) => d.code)).toEqual(['TG007', 'TG004']);
    expect(condition.data.warnings).toEqual([]);
    expect(nodes.find((n) => n.id === 'route-2')?.data.warnings.map((d) => d.code)).toEqual(['TG005']);
    expect(edges.find((e) => e.id === 'condition-1.true')?.className).toBe('has-error');
    expect(edges.filter((e) => e.className === 'has-error')).toHaveLength(1);
  });

  it('marks the simulated path on and every other node and edge off, and nothing without a simulation', () => {
    const highlight = { nodes: new Set(['request', 'condition-1', 'route-1']), edges: new Set(['request.next', 'condition-1.true']) };
    const { nodes, edges } = toFlow(input({ highlight }));
    expect(nodes.filter((n) => n.data.onPath).map((n) => n.id)).toEqual(['request', 'condition-1', 'route-1']);
    expect(nodes.filter((n) => n.data.offPath).map((n) => n.id)).toEqual(['route-2']);
    expect(edges.find((e) => e.id === 'condition-1.true')).toMatchObject({ animated: true, className: 'on-path' });
    expect(edges.find((e) => e.id === 'condition-1.false')).toMatchObject({ animated: false, className: 'off-path' });
    const plain = toFlow(input());
    expect(plain.nodes.some((n) => n.data.onPath || n.data.offPath)).toBe(false);
  });

  it('combines path and error classes on one edge', () => {
    const highlight = { nodes: new Set<string>(), edges: new Set<string>() };
    const diagnostics = [diag.danglingEdge('condition-1.false', 'condition-1', 'x')];
    const { edges } = toFlow(input({ highlight, diagnostics }));
    expect(edges.find((e) => e.id === 'condition-1.false')?.className).toBe('off-path has-error');
  });
});

describe('node view of half-edited params', () => {
  it('still draws handles and a summary when params fail their schema', () => {
    const split = { kind: 'split' as const, params: { branches: [{ weight: 50 }, { weight: 20 }, { weight: 10 }] } };
    expect(nodeOutputs(split).map((o) => o.id)).toEqual(['branch0', 'branch1', 'branch2']);
    expect(nodeSummary(split)).toContain('50%');
  });

  it('falls back to the defaults when the params cannot be read at all', () => {
    const broken = { kind: 'switch' as const, params: { cases: 'not a list' } };
    expect(nodeOutputs(broken).map((o) => o.id)).toEqual(['case0', 'case1', 'default']);
  });

  it('groups diagnostics by node and skips graph-wide ones', () => {
    const byNode = problemsByNode([diag.noEntry(), diag.unreachable('a'), diag.multipleEntries('a')]);
    expect([...byNode.keys()]).toEqual(['a']);
    expect(byNode.get('a')?.errors.map((d) => d.code)).toEqual(['TG002']);
    expect(byNode.get('a')?.warnings.map((d) => d.code)).toEqual(['TG005']);
  });
});
