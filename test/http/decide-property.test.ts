import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { Engine } from 'json-rules-engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { FIXTURES } from '../compiler/golden-files.js';
import { roundedRouterScore } from '../../server/routing/router-fact.js';
import { promptShape } from '../../server/routing/router-features.js';
import type { RouterFactParams } from '../../shared/nodes/smart-route.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const PROMPTS = [
  'Hi!',
  'What is the capital of France?',
  'Analyze the trade-offs between event sourcing and CRUD for a billing system, step by step, and design a migration plan. '.repeat(4),
  'Summarize this: ' + 'The meeting covered budgets, hiring and the roadmap. '.repeat(200),
  'Write a python function that parses ISO dates.',
  'Solve 12 * 17 + 3',
];

const requestArb = fc.record({
  policy: fc.constantFrom('cost-router', 'faq-cache', 'budget-guard'),
  model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-20250514', 'my-finetune'),
  prompt: fc.constantFrom(...PROMPTS),
  team: fc.constantFrom(undefined, 'search', 'research', 'legal'),
  feature: fc.constantFrom(undefined, 'faq', 'chat'),
  maxTokens: fc.option(fc.integer({ min: 1, max: 4000 }), { nil: undefined }),
  stream: fc.boolean(),
});

function ruleFile(id: string): RuleFile {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${id}.rules.json`), 'utf8'));
}

describe('the runtime decides like json-rules-engine', () => {
  it('for random requests, /v1/decide picks the highest-priority successful rule of a fresh engine run', async () => {
    await fc.assert(
      fc.asyncProperty(requestArb, async (r) => {
        const tags = [r.team && `team=${r.team}`, r.feature && `feature=${r.feature}`].filter(Boolean).join(',');
        const response = await h.post(
          '/v1/decide',
          { model: r.model, messages: [{ role: 'user', content: r.prompt }], stream: r.stream, ...(r.maxTokens ? { max_tokens: r.maxTokens } : {}) },
          { 'x-tollgate-policy': r.policy, ...(tags ? { 'x-tollgate-tags': tags } : {}) },
        );
        expect(response.status).toBe(200);
        const decision = (await response.json()) as DecideResponse;

        const engine = new Engine(ruleFile(r.policy).rules as never, { allowUndefinedFacts: true });
        // No traffic has been served, so every budget is unspent and no limit is hit.
        engine.addFact('budgetUsedPct', () => 0);
        engine.addFact('routerScore', (params) => {
          const { thresholds } = params as RouterFactParams;
          const margin = roundedRouterScore(r.prompt, decision.facts.taskType) - thresholds[promptShape(r.prompt)];
          return Math.round(margin * 1e6) / 1e6;
        });
        engine.addFact('rateLimited', () => false);
        const { results } = await engine.run({ ...decision.facts });
        const best = [...results].sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0))[0];
        expect(decision.rule).toBe(best?.name ?? null);
      }),
      { numRuns: 150 },
    );
  });

  it('explains a decision: every rule, whether it matched, and each condition’s fact value', async () => {
    const response = await h.post('/v1/decide', { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi!' }] });
    const decision = (await response.json()) as DecideResponse;
    expect(decision).toMatchObject({ policy: 'cost-router', rule: 'cheap-model', model: 'gpt-4o-mini', provider: 'openai' });
    expect(decision.estimatedCostUsd).toBeGreaterThan(0);
    expect(decision.trace.map((t) => t.rule)).toEqual(ruleFile('cost-router').rules.map((r) => r.name));
    const matched = decision.trace.find((t) => t.matched)!;
    expect(matched.rule).toBe('cheap-model');
    const last = matched.conditions.kind === 'all' ? matched.conditions.children.at(-1) : undefined;
    expect(last).toMatchObject({ kind: 'fact', fact: 'promptTokens', operator: 'lessThan', value: 25, result: true });
    expect(decision.path).toEqual(['request', 'trim', 'premium-work', 'large-prompt', 'one-liner', 'route-cheap']);
  });
});
