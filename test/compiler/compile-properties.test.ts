import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { compile } from '../../shared/compiler/compile.js';
import { serializeRuleFile } from '../../shared/rule-file.js';
import { graphSeed, randomDynamic, randomFacts, randomGraph } from './random-graphs.js';

describe('compile properties over random policy trees', () => {
  it('is deterministic and round-trips through its own rule file', () => {
    fc.assert(
      fc.property(graphSeed, (seed) => {
        const graph = randomGraph(seed);
        const a = compile(graph);
        expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const text = serializeRuleFile(a.ruleFile!);
        expect(serializeRuleFile(compile(graph).ruleFile!)).toBe(text);
        expect(serializeRuleFile(compile(JSON.parse(text).graph).ruleFile!)).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('gives every request exactly one matching rule in json-rules-engine (paths are exclusive and complete)', async () => {
    await fc.assert(
      fc.asyncProperty(graphSeed, randomFacts, randomDynamic, async (seed, facts, dynamic) => {
        const { ruleFile } = compile(randomGraph(seed));
        const engine = new Engine(ruleFile!.rules as never, { allowUndefinedFacts: true });
        engine.addFact('budgetUsedPct', () => dynamic.budgetUsedPct);
        engine.addFact('rateLimited', () => dynamic.rateLimited);
        engine.addFact('splitBucket', () => dynamic.splitBucket);
        const { results } = await engine.run(facts);
        expect(results).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});
