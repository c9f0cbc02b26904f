import { describe, expect, it } from 'vitest';
import { hiddenFields } from '../../editor/src/inspector/schema-form.js';
import { describeSchema } from '../../editor/src/inspector/schema-walk.js';
import { compile } from '../../shared/compiler/compile.js';
import { BudgetParamsSchema } from '../../shared/nodes/budget.js';
import { DEGRADE_MESSAGES } from '../../shared/nodes/degrade.js';
import { defaultParams, nodeSpec } from '../../shared/nodes/index.js';
import { conditionPolicy } from './editor-graphs.js';

const adapt = (kind: 'degrade', next: Record<string, unknown>, previous: Record<string, unknown>) => {
  const spec = nodeSpec(kind);
  return spec.adapt!(spec.params.parse(next), spec.params.parse(previous));
};

describe('fields that fit the mode (from the node specs)', () => {
  it('hides a cache wrong-hit bound in exact mode and shows it in semantic mode', () => {
    expect(hiddenFields('cache', { ...defaultParams('cache'), mode: 'exact' })).toEqual(new Set(['maxWrongHitRate']));
    expect(hiddenFields('cache', { ...defaultParams('cache'), mode: 'semantic' })).toEqual(new Set());
  });

  it('hides model and provider of a cache-only degrade, and status and message of a degrade to a model', () => {
    expect(hiddenFields('degrade', { ...defaultParams('degrade'), mode: 'cacheOnly' })).toEqual(new Set(['model', 'provider']));
    expect(hiddenFields('degrade', { ...defaultParams('degrade'), mode: 'model' })).toEqual(new Set(['status', 'message']));
    expect(hiddenFields('route', defaultParams('route'))).toEqual(new Set());
  });

  it('gives a cache-only degrade a message that says what happens, keeping one the owner wrote', () => {
    const base = defaultParams('degrade');
    expect(adapt('degrade', { ...base, mode: 'cacheOnly' }, base)).toMatchObject({ mode: 'cacheOnly', message: DEGRADE_MESSAGES.cacheOnly });
    expect(DEGRADE_MESSAGES.cacheOnly).not.toContain('cheaper model');
    const own = { ...base, message: 'Come back tomorrow.' };
    expect(adapt('degrade', { ...own, mode: 'reject' }, own)).toMatchObject({ message: 'Come back tomorrow.' });
  });

  it('draws a scope picker for the scope of a budget and a rate limit', () => {
    for (const schema of [BudgetParamsSchema, nodeSpec('rateLimit').params]) {
      const shape = describeSchema(schema);
      expect(shape.type === 'object' && shape.fields.find((f) => f.key === 'scope')?.shape).toEqual({ type: 'scope' });
    }
  });

  it('says in a sentence what a budget means', () => {
    const explain = nodeSpec('budget').explain!;
    expect(explain(BudgetParamsSchema.parse({ scope: 'tag:team', limitUsd: 5, thresholdPct: 80 }))).toBe(
      "Each team's own daily budget of $5: requests take “over” once $4 (80%) is spent.",
    );
    expect(explain(BudgetParamsSchema.parse({ scope: 'global', limitUsd: 50, window: 'month' }))).toMatch(/^One shared monthly budget of \$50/);
  });
});

describe('empty values are errors', () => {
  it('fails a condition test whose value is empty, naming the field', () => {
    const graph = conditionPolicy();
    const node = graph.nodes.find((n) => n.id === 'condition-1')!;
    node.params = { match: 'all', tests: [{ fact: 'tags', path: 'team', operator: 'equal', value: '' }] };
    const errors = compile(graph).diagnostics.filter((d) => d.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'condition-1', field: 'tests.0.value' });
    expect(errors[0]!.message).toContain('enter a value');
  });

  it('fails an "in" list holding an empty value', () => {
    const graph = conditionPolicy();
    graph.nodes.find((n) => n.id === 'condition-1')!.params = { match: 'all', tests: [{ fact: 'tags', path: 'team', operator: 'in', value: ['a', ' '] }] };
    expect(compile(graph).diagnostics.some((d) => d.field === 'tests.0.value' && d.severity === 'error')).toBe(true);
  });
});
