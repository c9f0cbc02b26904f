import { describe, expect, it } from 'vitest';
import { formatUsd, plainLines } from '../../editor/src/simulator/plain-trace.js';
import type { ConditionTrace } from '../../shared/api.js';

const team = (result: boolean, factValue = 'research'): ConditionTrace => ({
  kind: 'fact',
  fact: 'tags',
  path: '$.team',
  operator: 'equal',
  value: 'research',
  factValue,
  result,
});

describe('the simulator explains a rule in plain language', () => {
  it('reads a tag test as "team is research"', () => {
    expect(plainLines({ kind: 'all', result: true, children: [team(true)] })).toEqual([{ text: 'team is research', result: true, depth: 0 }]);
  });

  it('reads the false side of a condition as its opposite, saying what the value was', () => {
    const trace: ConditionTrace = { kind: 'all', result: true, children: [{ kind: 'not', result: true, children: [{ kind: 'all', result: false, children: [team(false, 'search')] }] }] };
    expect(plainLines(trace)).toEqual([{ text: 'team is not research (it is search)', result: true, depth: 0 }]);
  });

  it('reads a budget as the share used against the threshold', () => {
    const budget: ConditionTrace = { kind: 'fact', fact: 'budgetUsedPct', operator: 'greaterThanInclusive', value: 80, factValue: 85.3333, result: true };
    expect(plainLines(budget)[0]!.text).toBe('budget used 85% ≥ 80%');
  });

  it('rounds raw floats and money for display', () => {
    const cost: ConditionTrace = { kind: 'fact', fact: 'estimatedCostUsd', operator: 'lessThan', value: 0.01, factValue: 0.0012150000000000002, result: true };
    expect(plainLines(cost)[0]!.text).toBe('estimated cost (usd) $0.0012 < $0.01');
    expect(formatUsd(0.0012150000000000002)).toBe('$0.0012');
    expect(formatUsd(1.456)).toBe('$1.46');
    expect(formatUsd(0)).toBe('$0');
  });

  it('gives other groups a heading and indents their tests', () => {
    const trace: ConditionTrace = { kind: 'any', result: false, children: [team(false, 'ops'), { kind: 'fact', fact: 'hasTools', operator: 'equal', value: true, factValue: false, result: false }] };
    expect(plainLines(trace)).toEqual([
      { text: 'any of these', result: false, depth: 0 },
      { text: 'team is research (it is ops)', result: false, depth: 1 },
      { text: 'has tools', result: false, depth: 1 },
    ]);
  });
});
