import { z } from 'zod';

/** The shape of a params schema as the inspector needs it: which input to draw, with what bounds. */
export type FieldShape =
  | { type: 'object'; fields: { key: string; shape: FieldShape; optional: boolean }[] }
  | { type: 'array'; element: FieldShape; min?: number; max?: number }
  | { type: 'record'; value: FieldShape }
  | { type: 'enum'; options: string[] }
  | { type: 'number'; min?: number; max?: number; int: boolean }
  | { type: 'boolean' }
  | { type: 'string' }
  /** Who a budget or limit counts for (schemas marked `.meta({input: 'scope'})`): a picker, not free text. */
  | { type: 'scope' }
  /** A union of scalars and lists: a fact test's value, typed by the fact it tests. */
  | { type: 'value' }
  | { type: 'unknown' };

interface Def {
  type: string;
  innerType?: ZodLike;
  in?: ZodLike;
  shape?: Record<string, ZodLike>;
  element?: ZodLike;
  valueType?: ZodLike;
  entries?: Record<string, string>;
  options?: ZodLike[];
  checks?: { _zod: { def: { check: string; minimum?: number; maximum?: number } } }[];
}
interface ZodLike {
  _zod: { def: Def };
  /** Zod 4 number schemas expose their bounds and integer check here. */
  minValue?: number | null;
  maxValue?: number | null;
  isInt?: boolean;
}

/** Wrappers that do not change which input to draw: defaults, optionals, pipes, readonly. */
function unwrap(schema: ZodLike): { inner: ZodLike; optional: boolean } {
  let current = schema;
  let optional = false;
  for (;;) {
    const def = current._zod.def;
    if (def.type === 'optional' || def.type === 'nullable') optional = true;
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly' || def.type === 'prefault') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) {
      current = def.in;
    } else {
      return { inner: current, optional };
    }
  }
}

const finite = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function lengthCheck(schema: ZodLike, check: 'min_length' | 'max_length'): number | undefined {
  const found = schema._zod.def.checks?.find((c) => c._zod.def.check === check)?._zod.def;
  return finite(check === 'min_length' ? found?.minimum : found?.maximum);
}

export function describeSchema(schema: z.ZodType | ZodLike): FieldShape {
  const { inner } = unwrap(schema as ZodLike);
  const def = inner._zod.def;
  switch (def.type) {
    case 'object':
      return {
        type: 'object',
        fields: Object.entries(def.shape ?? {}).map(([key, s]) => ({ key, shape: describeSchema(s), optional: unwrap(s).optional })),
      };
    case 'array': {
      const min = lengthCheck(inner, 'min_length');
      const max = lengthCheck(inner, 'max_length');
      return { type: 'array', element: describeSchema(def.element!), ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'record':
      return { type: 'record', value: describeSchema(def.valueType!) };
    case 'enum':
      return { type: 'enum', options: Object.values(def.entries ?? {}) };
    case 'number': {
      const min = finite(inner.minValue);
      const max = finite(inner.maxValue);
      return { type: 'number', int: inner.isInt === true, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'boolean':
      return { type: 'boolean' };
    case 'string':
      return (z.globalRegistry.get(inner as unknown as z.ZodType) as { input?: string } | undefined)?.input === 'scope' ? { type: 'scope' } : { type: 'string' };
    case 'union':
      return { type: 'value' };
    default:
      return { type: 'unknown' };
  }
}

/** A value to start a new list item with (a new test, case or branch), honouring schema defaults where there are some. */
export function emptyValue(shape: FieldShape): unknown {
  switch (shape.type) {
    case 'object':
      return Object.fromEntries(shape.fields.filter((f) => !f.optional).map((f) => [f.key, emptyValue(f.shape)]));
    case 'array':
      return [];
    case 'record':
      return {};
    case 'enum':
      return shape.options[0];
    case 'number':
      return shape.min !== undefined && shape.min > 0 ? shape.min : 0;
    case 'boolean':
      return false;
    default:
      return '';
  }
}
