import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { RuleFileSchema, type RuleFile } from '../../shared/rule-file.js';
import { createEvaluator } from '../../server/engine/create-evaluator.js';
import { runJsonRulesEngine } from './json-rules-engine-oracle.js';
import { requestFactsFor, runtimeResolverFor } from './request-facts-arbitrary.js';

const RULES_DIR = new URL('../../rules/', import.meta.url);
const files = readdirSync(RULES_DIR).filter((name) => name.endsWith('.json'));

function load(name: string): RuleFile {
  return RuleFileSchema.parse(JSON.parse(readFileSync(new URL(name, RULES_DIR), 'utf8')));
}

describe('published rule files', () => {
  it('finds the example policies', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  describe.each(files)('%s', (name) => {
    it('loads unchanged into json-rules-engine', () => {
      const { rules } = load(name);
      const before = JSON.stringify(rules);
      const engine = new Engine(rules);
      expect(JSON.stringify(rules)).toBe(before);
      expect(engine).toBeInstanceOf(Engine);
    });

    it('runs on the fast path and decides as json-rules-engine does for random requests', async () => {
      const ruleFile = load(name);
      const evaluator = createEvaluator(ruleFile);
      expect(evaluator.mode).toBe('fast');
      const seen = new Set<string | null>();
      await fc.assert(
        fc.asyncProperty(requestFactsFor(ruleFile), runtimeResolverFor(ruleFile), async (facts, resolve) => {
          const fast = evaluator.decide(facts, resolve) as RuleFile['rules'][number] | null;
          const oracle = await runJsonRulesEngine(ruleFile.rules, facts, resolve);
          expect(fast?.name ?? null).toBe(oracle.decision);
          seen.add(oracle.decision);
        }),
        { numRuns: 1500 },
      );
      // The requests reach more than one outcome, so the comparison covered more than one path.
      expect(seen.size).toBeGreaterThan(1);
    }, 120_000);
  });
});
