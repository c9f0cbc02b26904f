import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEvaluator } from '../../server/engine/create-evaluator.js';
import { usesDynamicFacts } from '../../server/engine/dynamic-facts.js';
import { runJsonRulesEngine } from './json-rules-engine-oracle.js';
import { dynamicValuesArbitrary, factsArbitrary, recordingResolver, ruleFileOf, ruleSetArbitrary } from './rule-arbitraries.js';

/** Thousands of json-rules-engine runs: generous, so a busy machine does not fail them on time. */
const SLOW = 180_000;

describe('fast evaluator against json-rules-engine', () => {
  it('decides the same rule as json-rules-engine for random rule sets and requests', async () => {
    await fc.assert(
      fc.asyncProperty(ruleSetArbitrary(), fc.array(factsArbitrary, { minLength: 1, maxLength: 5 }), dynamicValuesArbitrary, async (rules, requests, values) => {
        const evaluator = createEvaluator(ruleFileOf(rules));
        expect(evaluator.mode).toBe('fast');
        for (const facts of requests) {
          const fast = evaluator.decide(facts, recordingResolver(values).resolve);
          expect(fast).not.toBeInstanceOf(Promise);
          const oracle = await runJsonRulesEngine(rules, facts, recordingResolver(values).resolve);
          expect((fast as { name: string } | null)?.name ?? null).toBe(oracle.decision);
        }
      }),
      { numRuns: 2500 },
    );
  }, SLOW);

  it('resolves each dynamic fact at most once per params, and only ones json-rules-engine also needed', async () => {
    await fc.assert(
      fc.asyncProperty(ruleSetArbitrary(), factsArbitrary, dynamicValuesArbitrary, async (rules, facts, values) => {
        const evaluator = createEvaluator(ruleFileOf(rules));
        const fast = recordingResolver(values);
        const oracle = recordingResolver(values);
        evaluator.decide(facts, fast.resolve);
        await runJsonRulesEngine(rules, facts, oracle.resolve);
        expect(new Set(fast.calls).size).toBe(fast.calls.length);
        const needed = new Set(oracle.calls);
        expect(fast.calls.filter((call) => !needed.has(call))).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  }, SLOW);

  it('never calls the resolver when no rule tests a dynamic fact', () => {
    fc.assert(
      fc.property(ruleSetArbitrary({ withDynamic: false }), factsArbitrary, dynamicValuesArbitrary, (rules, facts, values) => {
        const ruleFile = ruleFileOf(rules);
        const { resolve, calls } = recordingResolver(values);
        createEvaluator(ruleFile).decide(facts, resolve);
        expect(usesDynamicFacts(ruleFile)).toBe(false);
        expect(calls).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same decision when one evaluator serves many requests in a row', async () => {
    await fc.assert(
      fc.asyncProperty(ruleSetArbitrary({ maxRules: 10 }), fc.array(factsArbitrary, { minLength: 2, maxLength: 20 }), dynamicValuesArbitrary, async (rules, requests, values) => {
        const evaluator = createEvaluator(ruleFileOf(rules));
        const decisions = requests.map((facts) => evaluator.decide(facts, recordingResolver(values).resolve));
        const expected = await Promise.all(requests.map((facts) => runJsonRulesEngine(rules, facts, recordingResolver(values).resolve)));
        expect(decisions.map((rule) => (rule as { name: string } | null)?.name ?? null)).toEqual(expected.map((e) => e.decision));
      }),
      { numRuns: 300 },
    );
  }, SLOW);
});
