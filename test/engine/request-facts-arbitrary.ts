import fc from 'fast-check';
import { COMPLEXITIES, TASK_TYPES, WEEKDAYS, type RequestFacts } from '../../shared/facts.js';
import type { Condition, RuleFile } from '../../shared/rule-file.js';
import type { DynamicFactResolver } from '../../server/engine/evaluator.js';

/** Every value a rule file compares a fact (or a tag, by path) against; numbers also one either side. */
function comparedValues(ruleFile: RuleFile): Map<string, unknown[]> {
  const values = new Map<string, unknown[]>();
  const add = (key: string, value: unknown) => {
    const list = values.get(key) ?? [];
    for (const v of Array.isArray(value) ? value : [value]) {
      list.push(v);
      if (typeof v === 'number') list.push(v - 1, v + 1);
    }
    values.set(key, list);
  };
  const visit = (c: Condition): void => {
    if ('all' in c) c.all.forEach(visit);
    else if ('any' in c) c.any.forEach(visit);
    else if ('not' in c) visit(c.not);
    else add(c.path ? `${c.fact}${c.path.replace(/^\$\.?/, '.')}` : c.fact, c.value);
  };
  ruleFile.rules.forEach((rule) => visit(rule.conditions));
  return values;
}

/** Prefers the values the file tests, so every branch of a real policy gets exercised. */
function field<T>(values: Map<string, unknown[]>, key: string, fallback: fc.Arbitrary<T>): fc.Arbitrary<T> {
  const tested = values.get(key) as T[] | undefined;
  return tested?.length ? fc.oneof(fc.constantFrom(...tested), fallback) : fallback;
}

/** Schema-valid requests for one rule file. */
export function requestFactsFor(ruleFile: RuleFile): fc.Arbitrary<RequestFacts> {
  const v = comparedValues(ruleFile);
  const tagKeys = [...v.keys()].filter((k) => k.startsWith('tags.')).map((k) => k.slice('tags.'.length));
  const tags = fc.record(
    Object.fromEntries(['team', 'feature', ...tagKeys].map((key) => [key, field(v, `tags.${key}`, fc.constantFrom('search', 'ads', 'x'))])),
    { requiredKeys: [] },
  ) as fc.Arbitrary<Record<string, string>>;
  return fc.record({
    model: field(v, 'model', fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-3-5-haiku')),
    provider: field(v, 'provider', fc.constantFrom('openai', 'anthropic')),
    promptTokens: field(v, 'promptTokens', fc.nat(20_000)),
    maxTokens: field(v, 'maxTokens', fc.nat(4_000)),
    messageCount: field(v, 'messageCount', fc.integer({ min: 1, max: 40 })),
    hasTools: fc.boolean(),
    hasImages: fc.boolean(),
    stream: fc.boolean(),
    tags,
    user: field(v, 'user', fc.constantFrom('alice', 'bob', '')),
    serviceKey: field(v, 'serviceKey', fc.constantFrom('key-1', 'key-2')),
    tier: field(v, 'tier', fc.constantFrom('free', 'standard', 'premium')),
    taskType: field(v, 'taskType', fc.constantFrom(...TASK_TYPES)),
    complexity: field(v, 'complexity', fc.constantFrom(...COMPLEXITIES)),
    hour: field(v, 'hour', fc.integer({ min: 0, max: 23 })),
    weekday: field(v, 'weekday', fc.constantFrom(...WEEKDAYS)),
    estimatedCostUsd: field(v, 'estimatedCostUsd', fc.double({ min: 0, max: 5, noNaN: true })),
  }) as fc.Arbitrary<RequestFacts>;
}

/** A pure resolver over values a runtime could produce, near the thresholds the file tests. */
export function runtimeResolverFor(ruleFile: RuleFile): fc.Arbitrary<DynamicFactResolver> {
  const v = comparedValues(ruleFile);
  return fc
    .record({
      budgetUsedPct: field(v, 'budgetUsedPct', fc.double({ min: 0, max: 200, noNaN: true })),
      rateLimited: fc.boolean(),
      providerHealthy: fc.boolean(),
      splitBucket: field(v, 'splitBucket', fc.integer({ min: 0, max: 99 })),
    })
    .map((values) => (fact: string) => values[fact as keyof typeof values]);
}
