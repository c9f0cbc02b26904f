import { describe, expect, it } from 'vitest';
import { addNode, blankGraph, connect, updateNode } from '../../editor/src/state/graph-ops.js';
import { compile } from '../../shared/compiler/compile.js';
import { labelContradictions } from '../../shared/compiler/label-check.js';
import type { Graph } from '../../shared/graph.js';
import { defaultParams, NODE_SPECS } from '../../shared/nodes/index.js';
import { TEMPLATES } from '../../editor/src/state/templates.js';

const budget = NODE_SPECS.budget;
const check = (label: string, params: Record<string, unknown>) => labelContradictions({ id: 'b', label }, params, budget);

/** Request → budget labelled `label` with a $`limitUsd` limit → two routes. */
function budgetGraph(label: string, limitUsd: number): Graph {
  let graph = blankGraph('p', 'P');
  const b = addNode(graph, 'budget', { x: 200, y: 0 });
  const ok = addNode(b.graph, 'route', { x: 400, y: 0 });
  const over = addNode(ok.graph, 'route', { x: 400, y: 200 });
  graph = updateNode(over.graph, b.id, { label, params: { ...defaultParams('budget'), limitUsd, thresholdPct: 80 } });
  graph = connect(graph, { source: 'request', sourceHandle: 'next', target: b.id });
  graph = connect(graph, { source: b.id, sourceHandle: 'ok', target: ok.id });
  return connect(graph, { source: b.id, sourceHandle: 'over', target: over.id });
}

describe('labels that contradict the settings (TG015)', () => {
  it('warns when a label states money the limit no longer says, naming the setting as the inspector does', () => {
    const [d] = check('$5/day for research', { limitUsd: 6, thresholdPct: 100 });
    expect(d).toMatchObject({ code: 'TG015', severity: 'warning', nodeId: 'b', field: 'limitUsd' });
    expect(d!.message).toBe('The label says $5 but Limit (USD) is $6: rename the node or change the setting.');
  });

  it('warns about a stated percentage against the threshold, and reads "$2k" as 2000', () => {
    expect(check('Over 80%?', { limitUsd: 50, thresholdPct: 90 }).map((d) => d.field)).toEqual(['thresholdPct']);
    expect(check('$2k a month', { limitUsd: 2000 })).toEqual([]);
    expect(check('$2.50 daily', { limitUsd: 2.5 })).toEqual([]);
  });

  it('is quiet for labels that agree, state no figure, or sit on nodes without money settings', () => {
    expect(check('Over 80% of $50?', { limitUsd: 50, thresholdPct: 80 })).toEqual([]);
    expect(check('Daily budget spent?', { limitUsd: 6 })).toEqual([]);
    expect(labelContradictions({ id: 'r', label: 'Route at $5' }, { model: 'gpt-4o' }, NODE_SPECS.route)).toEqual([]);
  });

  it('comes out of compile as a warning that does not stop the rules', () => {
    const result = compile(budgetGraph('$5/day per team', 6));
    expect(result.ruleFile).not.toBeNull();
    expect(result.diagnostics.map((d) => d.code)).toEqual(['TG015']);
    expect(compile(budgetGraph('$6/day per team', 6)).diagnostics).toEqual([]);
  });

  it('finds nothing to say about the editor templates', () => {
    for (const template of TEMPLATES) expect(compile(template.graph).diagnostics.filter((d) => d.code === 'TG015'), template.key).toEqual([]);
  });
});
