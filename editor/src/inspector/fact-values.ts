import { factInfo, OPERATORS_BY_TYPE, type FactType } from '../../../shared/facts.js';
import { LIST_OPERATORS, type Operator } from '../../../shared/operators.js';

/** The operators that make sense for a fact; all of them when the fact is unknown. */
export function operatorsFor(fact: unknown): readonly Operator[] {
  const info = typeof fact === 'string' ? factInfo(fact) : undefined;
  return info ? OPERATORS_BY_TYPE[info.type] : OPERATORS_BY_TYPE.number;
}

export function factType(fact: unknown): FactType | undefined {
  return typeof fact === 'string' ? factInfo(fact)?.type : undefined;
}

/** Parses what was typed into a test's value: lists for `in`/`not in`, numbers and booleans by the fact's type. */
export function parseTestValue(text: string, fact: unknown, operator: unknown): unknown {
  const type = factType(fact);
  const one = (s: string): string | number | boolean => {
    if (type === 'number') return s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s;
    if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
    return s;
  };
  if (LIST_OPERATORS.has(operator as Operator)) {
    return text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(one);
  }
  return one(text);
}

export function formatTestValue(value: unknown): string {
  if (Array.isArray(value)) return value.join(', ');
  return value === undefined || value === null ? '' : String(value);
}

/** When the operator changes between a single value and a list, keep what was typed rather than an invalid shape. */
export function adaptValueToOperator(value: unknown, operator: Operator): unknown {
  const wantsList = LIST_OPERATORS.has(operator);
  if (wantsList && !Array.isArray(value)) return value === '' || value === undefined ? [] : [value];
  if (!wantsList && Array.isArray(value)) return value[0] ?? '';
  return value;
}

/** A new fact keeps the operator when it still applies and starts a value of the fact's type. */
export function retargetTest(test: Record<string, unknown>, fact: string): Record<string, unknown> {
  const type = factType(fact);
  const operators = operatorsFor(fact);
  const operator = operators.includes(test.operator as Operator) ? (test.operator as Operator) : operators[0]!;
  const info = factInfo(fact);
  const scalar = type === 'number' ? 0 : type === 'boolean' ? true : (info?.values?.[0] ?? '');
  const next: Record<string, unknown> = { ...test, fact, operator, value: adaptValueToOperator(scalar, operator) };
  if (type !== 'tags') delete next.path;
  else next.path ??= 'team';
  return next;
}
