import { describe, expect, it } from 'vitest';
import type { Rule } from '../../shared/rule-file.js';
import { dynamicFactsUsed, isDynamicFact, usesDynamicFacts } from '../../server/engine/dynamic-facts.js';
import { ruleFileOf } from './rule-arbitraries.js';

const rule = (conditions: Rule['conditions']): Rule => ({
  name: 'r',
  priority: 1,
  conditions,
  event: { type: 'decision', params: { path: [], edges: [], actions: [] } },
});

describe('dynamic facts', () => {
  it('knows the runtime-computed facts by name', () => {
    expect(['budgetUsedPct', 'rateLimited', 'providerHealthy', 'splitBucket'].every(isDynamicFact)).toBe(true);
    expect(isDynamicFact('promptTokens')).toBe(false);
  });

  it('finds dynamic facts nested under not/any/all', () => {
    const file = ruleFileOf([
      rule({ all: [{ fact: 'model', operator: 'equal', value: 'x' }, { not: { any: [{ fact: 'rateLimited', operator: 'equal', value: true }] } }] }),
      rule({ any: [{ fact: 'splitBucket', params: { node: 'n', by: 'user' }, operator: 'lessThan', value: 50 }] }),
    ]);
    expect(dynamicFactsUsed(file)).toEqual(new Set(['rateLimited', 'splitBucket']));
    expect(usesDynamicFacts(file)).toBe(true);
  });

  it('reports none for static-only files', () => {
    expect(usesDynamicFacts(ruleFileOf([rule({ all: [{ fact: 'tier', operator: 'equal', value: 'free' }] })]))).toBe(false);
  });
});
