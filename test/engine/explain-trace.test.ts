import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConditionTrace } from '../../shared/api.js';
import { RuleTraceSchema } from '../../shared/api.js';
import type { Condition, Rule } from '../../shared/rule-file.js';
import { createEvaluator } from '../../server/engine/create-evaluator.js';
import { runJsonRulesEngine } from './json-rules-engine-oracle.js';
import { dynamicValuesArbitrary, factsArbitrary, recordingResolver, ruleFileOf, ruleSetArbitrary } from './rule-arbitraries.js';

function factNodes(trace: ConditionTrace): Extract<ConditionTrace, { kind: 'fact' }>[] {
  return trace.kind === 'fact' ? [trace] : trace.children.flatMap(factNodes);
}

const budgetRule = (name: string, priority: number, operator: 'lessThan' | 'greaterThanInclusive'): Rule => ({
  name,
  priority,
  conditions: {
    all: [
      // A higher condition priority puts the tier test in its own, earlier round, so a failed
      // tier test stops the engine before it asks for the budget.
      { fact: 'tier', operator: 'equal', value: 'premium', priority: 2 } as Condition,
      { fact: 'budgetUsedPct', params: { scope: 'tag:team' }, operator, value: 80 },
    ],
  },
  event: { type: 'decision', params: { path: [], edges: [], actions: [] } },
});

describe('explain()', () => {
  it('traces every rule in decision order with matched flags agreeing with decide() and json-rules-engine', async () => {
    await fc.assert(
      fc.asyncProperty(ruleSetArbitrary({ maxRules: 12 }), factsArbitrary, dynamicValuesArbitrary, async (rules, facts, values) => {
        const evaluator = createEvaluator(ruleFileOf(rules));
        const { match, trace } = await evaluator.explain(facts, recordingResolver(values).resolve);
        const decided = (await evaluator.decide(facts, recordingResolver(values).resolve)) as Rule | null;
        const oracle = await runJsonRulesEngine(rules, facts, recordingResolver(values).resolve);

        expect(trace.map((t) => t.rule).sort()).toEqual(rules.map((r) => r.name).sort());
        trace.forEach((t) => expect(RuleTraceSchema.safeParse(t).success).toBe(true));
        expect(trace.map((t) => t.priority)).toEqual([...trace.map((t) => t.priority)].sort((a, b) => b - a));
        expect(trace.filter((t) => t.matched).map((t) => t.rule).sort()).toEqual([...oracle.successes].sort());
        expect(trace.find((t) => t.matched)?.rule ?? null).toBe(decided?.name ?? null);
        expect(match?.name ?? null).toBe(decided?.name ?? null);
        for (const t of trace) expect(t.conditions.result).toBe(t.matched);
      }),
      { numRuns: 400 },
    );
  }, 120_000);

  it('records the fact value each evaluated condition saw, and null where the engine short-circuited', async () => {
    const rules = [budgetRule('over', 2, 'greaterThanInclusive'), budgetRule('ok', 1, 'lessThan')];
    const evaluator = createEvaluator(ruleFileOf(rules));
    const { resolve } = recordingResolver({});
    const free = await evaluator.explain({ tier: 'free' } as never, resolve);
    const [tier, budget] = factNodes(free.trace[0]!.conditions);
    expect(tier).toMatchObject({ fact: 'tier', factValue: 'free', result: false });
    expect(budget).toMatchObject({ fact: 'budgetUsedPct', result: null });
    expect(budget).not.toHaveProperty('factValue');

    const premium = await evaluator.explain({ tier: 'premium' } as never, (fact) => (fact === 'budgetUsedPct' ? 93 : undefined));
    expect(premium.match?.name).toBe('over');
    expect(premium.trace.map((t) => [t.rule, t.matched])).toEqual([['over', true], ['ok', false]]);
    expect(factNodes(premium.trace[0]!.conditions)[1]).toMatchObject({ params: { scope: 'tag:team' }, factValue: 93, result: true });
  });

  it('keeps each run separate when explanations overlap on one evaluator', async () => {
    const nested = (condition: Condition, levels: number): Condition => (levels === 0 ? condition : { all: [nested(condition, levels - 1)] });
    // Rule i digs into a deep group only when promptTokens >= i, so a request for 5 takes many
    // more engine ticks than a request for 0 and is still running when that one finishes.
    const rules = Array.from({ length: 6 }, (_, i): Rule => ({
      name: `r${i}`,
      priority: 10 - i,
      conditions: {
        all: [
          { fact: 'promptTokens', operator: 'greaterThanInclusive', value: i, priority: 2 } as Condition,
          nested({ fact: 'promptTokens', operator: 'equal', value: i }, 6),
        ],
      },
      event: { type: 'decision', params: { path: [], edges: [], actions: [] } },
    }));
    const evaluator = createEvaluator(ruleFileOf(rules));
    // Sharing one engine, the first run to finish marks it FINISHED and the runs still going
    // skip their remaining priority levels (json-rules-engine engine.js), unless runs take turns.
    const explanations = await Promise.all([5, 0, 4, 1, 99].map((n) => evaluator.explain({ promptTokens: n } as never, () => 1)));
    expect(explanations.map((e) => e.match?.name ?? null)).toEqual(['r5', 'r0', 'r4', 'r1', null]);
    explanations.forEach((e) => expect(e.trace).toHaveLength(6));
  });
});
