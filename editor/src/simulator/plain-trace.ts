import type { ConditionTrace } from '../../../shared/api.js';
import { factInfo } from '../../../shared/facts.js';
import type { Operator } from '../../../shared/operators.js';

/** One line of a rule's explanation as a product owner reads it: "team is research ✓". */
export interface PlainLine {
  text: string;
  result: boolean | null;
  depth: number;
}

type FactTrace = Extract<ConditionTrace, { kind: 'fact' }>;

const NEGATED: Record<Operator, Operator> = {
  equal: 'notEqual',
  notEqual: 'equal',
  lessThan: 'greaterThanInclusive',
  lessThanInclusive: 'greaterThan',
  greaterThan: 'lessThanInclusive',
  greaterThanInclusive: 'lessThan',
  in: 'notIn',
  notIn: 'in',
  contains: 'doesNotContain',
  doesNotContain: 'contains',
};

const WORDS: Record<Operator, string> = {
  equal: 'is',
  notEqual: 'is not',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'is one of',
  notIn: 'is none of',
  contains: 'contains',
  doesNotContain: 'does not contain',
};

/** Dynamic facts read as what they measure; their numbers carry a unit. */
const DYNAMIC: Record<string, { subject: string; unit?: (n: number) => string }> = {
  budgetUsedPct: { subject: 'budget used', unit: (n) => `${roundTo(n, n < 10 ? 1 : 0)}%` },
  rateLimited: { subject: 'rate limited' },
  providerHealthy: { subject: 'provider healthy' },
  splitBucket: { subject: 'traffic bucket' },
};

function roundTo(n: number, digits: number): string {
  return String(Number(n.toFixed(digits)));
}

/** Money for people: cents for amounts from a cent, else two significant digits ("$0.0012"). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 0.01) return `$${usd.toFixed(2)}`;
  return `$${Number(usd.toPrecision(2))}`;
}

function formatValue(fact: string, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => formatValue(fact, v)).join(', ');
  if (typeof value === 'number') {
    const unit = DYNAMIC[fact]?.unit;
    if (unit) return unit(value);
    if (fact === 'estimatedCostUsd') return formatUsd(value);
    return Number.isInteger(value) ? String(value) : roundTo(value, 4);
  }
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (value === undefined || value === null || value === '') return '(none)';
  return String(value);
}

function subjectOf(t: FactTrace): string {
  if (t.fact === 'tags') return (t.path ?? '').replace(/^\$\./, '') || 'tag';
  return DYNAMIC[t.fact]?.subject ?? (factInfo(t.fact)?.label ?? t.fact).toLowerCase();
}

/** "team is research", or for numbers the value met: "budget used 85% ≥ 80%". */
export function describeFact(t: FactTrace, negate = false): string {
  const operator = (negate ? (NEGATED[t.operator as Operator] ?? t.operator) : t.operator) as Operator;
  const subject = subjectOf(t);
  const words = WORDS[operator] ?? operator;
  const numeric = typeof t.value === 'number' && typeof t.factValue === 'number';
  if (numeric) return `${subject} ${formatValue(t.fact, t.factValue)} ${words} ${formatValue(t.fact, t.value)}`;
  if (typeof t.value === 'boolean' && (operator === 'equal' || operator === 'notEqual')) {
    return (operator === 'equal') === t.value ? subject : `not ${subject}`;
  }
  const was = t.result === false && t.factValue !== undefined ? ` (it is ${formatValue(t.fact, t.factValue)})` : '';
  return `${subject} ${words} ${formatValue(t.fact, t.value)}${was}`;
}

/** The single fact a group stands for, when it holds only one (a condition's false side is `not all [one test]`). */
function soleFact(t: ConditionTrace): FactTrace | null {
  if (t.kind === 'fact') return t;
  if (t.kind !== 'not' && t.children.length === 1) return soleFact(t.children[0]!);
  return null;
}

/** A rule's conditions as lines: an `all` is just its lines, a negated single test reads as its opposite, other groups get a heading. */
export function plainLines(trace: ConditionTrace, depth = 0): PlainLine[] {
  if (trace.kind === 'fact') return [{ text: describeFact(trace), result: trace.result, depth }];
  if (trace.kind === 'all') return trace.children.flatMap((c) => plainLines(c, depth));
  if (trace.kind === 'not') {
    const only = trace.children.length === 1 ? soleFact(trace.children[0]!) : null;
    if (only) return [{ text: describeFact(only, true), result: trace.result, depth }];
    const inner = trace.children[0];
    const heading = inner && inner.kind === 'any' ? 'none of these' : 'not all of these';
    const children = inner && inner.kind !== 'fact' ? inner.children : trace.children;
    return [{ text: heading, result: trace.result, depth }, ...children.flatMap((c) => plainLines(c, depth + 1))];
  }
  return [{ text: 'any of these', result: trace.result, depth }, ...trace.children.flatMap((c) => plainLines(c, depth + 1))];
}
