import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestFacts } from '../../shared/facts.js';
import type { Condition, Rule } from '../../shared/rule-file.js';
import { createEvaluator, fastPathRefusal } from '../../server/engine/create-evaluator.js';
import type { DynamicFactResolver } from '../../server/engine/evaluator.js';
import { runJsonRulesEngine } from './json-rules-engine-oracle.js';
import { dynamicValuesArbitrary, factsArbitrary, recordingResolver, ruleFileOf, ruleSetArbitrary } from './rule-arbitraries.js';

/** Conditions json-rules-engine accepts that the fast path deliberately leaves to it. */
const EXOTIC: Record<string, Condition> = {
  'an operator decorator': { fact: 'tags', operator: 'someValue:equal' as never, value: 'a' },
  'a negating decorator': { fact: 'model', operator: 'not:equal' as never, value: 'gpt-4o' },
  'a fact reference as the value': { fact: 'promptTokens', operator: 'lessThan', value: { fact: 'maxTokens' } },
  'a JSONPath filter': { fact: 'tags', path: '$.arr[0]', operator: 'equal', value: 1 },
  'a recursive JSONPath': { fact: 'tags', path: '$..x', operator: 'equal', value: 1 },
  'the reserved resolver fact': { fact: '__resolve', operator: 'equal', value: 1 },
};

function rule(name: string, priority: number, conditions: Rule['conditions']): Rule {
  return { name, priority, conditions, event: { type: 'decision', params: { path: [], edges: [], actions: [] } } };
}

async function outcome(decide: () => unknown): Promise<{ decision: string | null } | { error: string }> {
  try {
    const rule = (await decide()) as Rule | null;
    return { decision: rule?.name ?? null };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

describe('files the fast path leaves to json-rules-engine', () => {
  it.each(Object.entries(EXOTIC))('routes %s to the reference evaluator', (_reason, condition) => {
    const ruleFile = ruleFileOf([rule('exotic', 2, { all: [condition] }), rule('fallback', 1, { all: [] })]);
    expect(createEvaluator(ruleFile).mode).toBe('reference');
    expect(fastPathRefusal(ruleFile)).toEqual(expect.any(String));
  });

  it('routes condition references, and fails like json-rules-engine when the condition is unknown', async () => {
    const rules = [rule('ref', 1, { all: [{ condition: 'vip' } as never] })];
    const evaluator = createEvaluator(ruleFileOf(rules));
    expect(evaluator.mode).toBe('reference');
    await expect(evaluator.decide({} as RequestFacts, () => 0)).rejects.toThrow(/No condition vip/);
  });

  it('routes `in` against a value json-rules-engine cannot search, and fails as it does', async () => {
    const rules = [rule('bad-in', 1, { all: [{ fact: 'model', operator: 'in', value: 5 }] })];
    const evaluator = createEvaluator(ruleFileOf(rules));
    expect(evaluator.mode).toBe('reference');
    await expect(evaluator.decide({ model: 'x' } as RequestFacts, () => 0)).rejects.toThrow(TypeError);
  });

  it('decides random rule sets holding one unsupported construct as json-rules-engine does', async () => {
    await fc.assert(
      fc.asyncProperty(
        ruleSetArbitrary({ maxRules: 10 }),
        fc.constantFrom(...Object.values(EXOTIC)),
        fc.nat(),
        factsArbitrary,
        dynamicValuesArbitrary,
        async (rules, exotic, at, facts, values) => {
          const target = rules[at % rules.length]!;
          const withExotic = rules.map((r) => (r === target ? { ...r, conditions: { any: [exotic, r.conditions as Condition] } } : r));
          const evaluator = createEvaluator(ruleFileOf(withExotic));
          expect(evaluator.mode).toBe('reference');
          const actual = await outcome(() => evaluator.decide({ ...facts, maxTokens: 6 } as RequestFacts, recordingResolver(values).resolve));
          const expected = await outcome(async () => {
            const { decision } = await runJsonRulesEngine(withExotic, { ...facts, maxTokens: 6 } as RequestFacts, recordingResolver(values).resolve);
            return decision === null ? null : { name: decision };
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  }, 120_000);
});

describe('requests the fast path hands to json-rules-engine', () => {
  const rules = [
    rule('big', 3, { all: [{ fact: 'promptTokens', operator: 'greaterThan', value: 100 }] }),
    rule('budget', 2, { all: [{ fact: 'budgetUsedPct', operator: 'greaterThanInclusive', value: 80 }] }),
    rule('rest', 1, { all: [] }),
  ];

  it('lets json-rules-engine compute a fact given as a function, as it does for run facts', async () => {
    const evaluator = createEvaluator(ruleFileOf(rules));
    expect(evaluator.mode).toBe('fast');
    const facts = { promptTokens: () => 500 } as unknown as RequestFacts;
    expect(await evaluator.decide(facts, () => 0)).toMatchObject({ name: 'big' });
    expect((await runJsonRulesEngine(rules, facts, () => 0)).decision).toBe('big');
  });

  it('awaits a resolver that answers with a promise, still resolving each fact once', async () => {
    const evaluator = createEvaluator(ruleFileOf(rules));
    const calls: string[] = [];
    const resolve: DynamicFactResolver = (fact) => {
      calls.push(fact);
      return Promise.resolve(90);
    };
    const decision = evaluator.decide({ promptTokens: 5 } as RequestFacts, resolve);
    expect(decision).toBeInstanceOf(Promise);
    expect(await decision).toMatchObject({ name: 'budget' });
    expect(calls).toEqual(['budgetUsedPct']);
  });
});
