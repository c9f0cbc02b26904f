import { OPERATORS, type Operator } from '../../shared/operators.js';

/** A built-in operator bound to its condition value: takes the fact value, answers the condition. */
export type BoundOperator = (factValue: unknown) => boolean;

const BUILT_IN: ReadonlySet<string> = new Set(OPERATORS);

export function isBuiltInOperator(name: unknown): name is Operator {
  return typeof name === 'string' && BUILT_IN.has(name);
}

/**
 * json-rules-engine's numeric validator (engine-default-operators.js). Written out for numbers,
 * the common case, and kept verbatim for everything else so strings like "12abc" or [5] pass
 * exactly as they do there.
 */
function isNumeric(value: unknown): boolean {
  if (typeof value === 'number') return value === value;
  return Number.parseFloat(value as string).toString() !== 'NaN';
}

type Indexable = { indexOf(search: unknown): number };

/**
 * The built-in operators with json-rules-engine's exact semantics (version 7): `equal` is `===`,
 * `in` is `value.indexOf(fact) > -1` (so a string value matches substrings), `contains` needs an
 * array fact, and numeric operators compare raw values once the fact passes the validator.
 * Returns null when the value would make json-rules-engine throw (e.g. `in` against a number),
 * so that file goes to the reference evaluator and fails the same way.
 */
export function bindOperator(operator: Operator, value: unknown): BoundOperator | null {
  switch (operator) {
    case 'equal':
      return (a) => a === value;
    case 'notEqual':
      return (a) => a !== value;
    case 'in':
    case 'notIn': {
      if (!Array.isArray(value) && typeof value !== 'string') return null;
      const list = (Array.isArray(value) ? [...value] : value) as Indexable;
      return operator === 'in' ? (a) => list.indexOf(a) > -1 : (a) => list.indexOf(a) === -1;
    }
    case 'contains':
      return (a) => Array.isArray(a) && a.indexOf(value) > -1;
    case 'doesNotContain':
      return (a) => Array.isArray(a) && a.indexOf(value) === -1;
    case 'lessThan':
      return (a) => isNumeric(a) && (a as number) < (value as number);
    case 'lessThanInclusive':
      return (a) => isNumeric(a) && (a as number) <= (value as number);
    case 'greaterThan':
      return (a) => isNumeric(a) && (a as number) > (value as number);
    case 'greaterThanInclusive':
      return (a) => isNumeric(a) && (a as number) >= (value as number);
  }
}
