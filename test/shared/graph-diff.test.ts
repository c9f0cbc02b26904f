import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compile } from '../../shared/compiler/compile.js';
import type { Graph } from '../../shared/graph.js';
import { diffGraphs, diffRuleFiles, diffValues, isEmptyDiff } from '../../shared/graph-diff.js';
import { RuleFileSchema, type RuleFile } from '../../shared/rule-file.js';

const costRouter = RuleFileSchema.parse(JSON.parse(readFileSync('rules/cost-router.json', 'utf8')));

function recompile(graph: Graph): RuleFile {
  const { ruleFile, diagnostics } = compile(graph);
  if (!ruleFile) throw new Error(JSON.stringify(diagnostics));
  return ruleFile;
}

function edit(mutate: (g: Graph) => void): RuleFile {
  const graph = structuredClone(costRouter.graph);
  mutate(graph);
  graph.version += 1;
  return recompile(graph);
}

describe('diffRuleFiles', () => {
  it('finds nothing between a rule file and itself', () => {
    expect(isEmptyDiff(diffRuleFiles(costRouter, costRouter))).toBe(true);
  });

  it('names the param path with old and new values when a route changes model', () => {
    const next = edit((g) => {
      g.nodes.find((n) => n.id === 'route-cheap')!.params.model = 'gpt-4.1-nano';
    });
    const diff = diffRuleFiles(costRouter, next);
    expect(diff.nodes.changed).toEqual([
      { id: 'route-cheap', kind: 'route', label: 'Cheap model', params: [{ path: 'model', before: 'gpt-4o-mini', after: 'gpt-4.1-nano' }] },
    ]);
    expect(diff.rules.changed.filter((r) => r.actionsChanged).map((r) => r.name)).toContain('cheap-model');
    expect(diff.rules.changed.every((r) => !r.conditionsChanged)).toBe(true);
    expect(diff.versions).toEqual({ before: 1, after: 2 });
  });

  it('reports nested param paths like diagnostics do', () => {
    const next = edit((g) => {
      const tests = g.nodes.find((n) => n.id === 'premium-work')!.params.tests as { value: unknown }[];
      tests[1]!.value = 8000;
    });
    expect(diffRuleFiles(costRouter, next).nodes.changed[0]!.params).toEqual([{ path: 'tests.1.value', before: 6000, after: 8000 }]);
  });

  it('lists added and removed nodes, edges and rules', () => {
    const next = edit((g) => {
      g.nodes.push({ id: 'deny', kind: 'block', label: 'Deny', position: { x: 0, y: 0 }, params: { status: 403, message: 'no' } });
      const edge = g.edges.find((e) => e.source === 'large-prompt' && e.sourceHandle === 'true')!;
      const oldTarget = edge.target;
      edge.target = 'deny';
      if (!g.edges.some((e) => e.target === oldTarget)) {
        g.nodes = g.nodes.filter((n) => n.id !== oldTarget);
        g.edges = g.edges.filter((e) => e.source !== oldTarget);
      }
    });
    const diff = diffRuleFiles(costRouter, next);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(['deny']);
    expect(diff.edges.added.map((e) => e.target)).toEqual(['deny']);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(['large-prompt.true', 'route-mid.onError']);
    expect(diff.rules.added).toContain('deny');
  });

  it('reports a label change and keeps moves apart from changes', () => {
    const next = edit((g) => {
      g.nodes.find((n) => n.id === 'trim')!.label = 'Trim';
      g.nodes.find((n) => n.id === 'request')!.position = { x: -50, y: 0 };
    });
    const diff = diffGraphs(costRouter.graph, next.graph);
    expect(diff.nodes.changed).toEqual([
      expect.objectContaining({ id: 'trim', labelChange: { before: 'Trim whitespace', after: 'Trim' }, params: [] }),
    ]);
    expect(diff.nodes.moved).toEqual(['request']);
  });
});

describe('diffValues', () => {
  it('ignores key order and reports array growth by index', () => {
    expect(diffValues({ a: 1, b: [1] }, { b: [1, 2], a: 1 })).toEqual([{ path: 'b.1', before: undefined, after: 2 }]);
  });
});
