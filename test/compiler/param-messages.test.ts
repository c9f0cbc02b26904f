import { describe, expect, it } from 'vitest';
import { compile } from '../../shared/compiler/compile.js';
import type { Graph } from '../../shared/graph.js';
import { fieldPathLabel } from '../../shared/nodes/field-labels.js';

function graphWith(node: Graph['nodes'][number]): Graph {
  return {
    id: 'p',
    name: 'P',
    description: '',
    version: 1,
    nodes: [
      { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
      node,
      { id: 'route', kind: 'route', label: 'Route', position: { x: 400, y: 0 }, params: { model: 'gpt-4o-mini' } },
    ],
    edges: [{ id: 'e1', source: 'request', sourceHandle: 'next', target: node.id }],
  } as Graph;
}

const invalidParams = (graph: Graph) => compile(graph).diagnostics.filter((d) => d.code === 'TG007').map(({ field, message }) => ({ field, message }));

describe('a bad param names the field as the inspector does', () => {
  it('says "Limit (USD)", not limitUsd, and keeps the params path as the field', () => {
    const graph = graphWith({ id: 'b', kind: 'budget', label: 'Budget', position: { x: 200, y: 0 }, params: { scope: 'tag:team', limitUsd: -5, window: 'day', thresholdPct: 100 } });
    expect(invalidParams(graph)).toEqual([{ field: 'limitUsd', message: 'Limit (USD): the limit must be above 0' }]);
  });

  it('names a list item by number, as its heading does ("Test 1 value")', () => {
    const graph = graphWith({
      id: 'c',
      kind: 'condition',
      label: 'Condition',
      position: { x: 200, y: 0 },
      params: { match: 'all', tests: [{ fact: 'promptTokens', operator: 'greaterThan', value: 'many' }] },
    });
    const [problem] = invalidParams(graph);
    expect(problem!.field).toBe('tests.0.value');
    expect(problem!.message).toMatch(/^Test 1 value: /);
  });

  it('uses the label the kind gives a field and spells out the camelCase of one it does not', () => {
    expect(fieldPathLabel('budget', 'whenRedisDown')).toBe('When Redis is down');
    expect(fieldPathLabel('budget', 'window')).toBe('Window');
    expect(fieldPathLabel('route', 'backoffMs')).toBe('Backoff (ms)');
    expect(fieldPathLabel('batch', 'maxWaitSeconds')).toBe('Max Wait Seconds');
    expect(fieldPathLabel('condition', 'tests.2.operator')).toBe('Test 3 operator');
  });
});
