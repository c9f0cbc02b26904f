import { describe, expect, it } from 'vitest';
import { addNode, blankGraph, connect, updateNode } from '../../editor/src/state/graph-ops.js';
import { compile } from '../../shared/compiler/compile.js';
import { slugify, terminalNames } from '../../shared/compiler/rule-names.js';
import type { Graph } from '../../shared/graph.js';

/** Request → condition → (true: a route labelled `yes`, false: a route labelled `no`). */
function labelled(yes: string, no: string): Graph {
  let graph = blankGraph('p', 'P');
  graph = addNode(graph, 'condition', { x: 0, y: 0 }).graph;
  graph = addNode(graph, 'route', { x: 0, y: 0 }).graph;
  graph = addNode(graph, 'route', { x: 0, y: 0 }).graph;
  graph = updateNode(updateNode(graph, 'route-1', { label: yes }), 'route-2', { label: no });
  graph = connect(graph, { source: 'request', sourceHandle: 'next', target: 'condition-1' });
  graph = connect(graph, { source: 'condition-1', sourceHandle: 'true', target: 'route-1' });
  return connect(graph, { source: 'condition-1', sourceHandle: 'false', target: 'route-2' });
}

const ruleNames = (graph: Graph) => compile(graph).ruleFile!.rules.map((r) => r.name);

describe('rules are named after the labels of their terminal nodes', () => {
  it('slugs a label to lower-case ASCII words', () => {
    expect(slugify('Cheap model')).toBe('cheap-model');
    expect(slugify('Fallback: Claude Sonnet')).toBe('fallback-claude-sonnet');
    expect(slugify('  Réponse à 80 % !')).toBe('reponse-a-80');
    expect(slugify('💸')).toBe('');
  });

  it('names the rules by label, keeping node ids in the path', () => {
    const file = compile(labelled('Research model', 'Everyone else')).ruleFile!;
    expect(file.rules.map((r) => r.name)).toEqual(['research-model', 'everyone-else']);
    expect(file.rules[0]!.event.params.path).toEqual(['request', 'condition-1', 'route-1']);
  });

  it('numbers clashing labels in graph order and falls back to the id for a label without letters', () => {
    expect(ruleNames(labelled('Route', 'Route'))).toEqual(['route', 'route-2']);
    expect(ruleNames(labelled('', '!!'))).toEqual(['route-1', 'route-2']);
    expect([...terminalNames([{ id: 'a', label: 'X' }, { id: 'b', label: 'X' }, { id: 'c', label: 'X 2' }]).values()]).toEqual(['x', 'x-2', 'x-2-2']);
  });

  it('gives the same graph the same names on every compile', () => {
    const graph = labelled('Research model', 'Everyone else');
    expect(ruleNames(structuredClone(graph))).toEqual(ruleNames(graph));
  });
});
