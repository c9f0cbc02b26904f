import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSchema, emptyValue, type FieldShape } from '../../editor/src/inspector/schema-walk.js';
import { NODE_KINDS } from '../../shared/graph.js';
import { NODE_SPECS } from '../../shared/nodes/index.js';
import { PROVIDERS } from '../../shared/providers.js';

const fieldOf = (shape: FieldShape, key: string) => {
  if (shape.type !== 'object') throw new Error(`expected an object shape, got ${shape.type}`);
  return shape.fields.find((f) => f.key === key);
};

describe('describeSchema', () => {
  it('describes scalars: strings, booleans, enums and unions of values', () => {
    expect(describeSchema(z.string())).toEqual({ type: 'string' });
    expect(describeSchema(z.boolean())).toEqual({ type: 'boolean' });
    expect(describeSchema(z.enum(['day', 'week']))).toEqual({ type: 'enum', options: ['day', 'week'] });
    expect(describeSchema(z.union([z.string(), z.number()]))).toEqual({ type: 'value' });
    expect(describeSchema(z.date())).toEqual({ type: 'unknown' });
  });

  it('describes numbers with their bounds and whether they are whole', () => {
    expect(describeSchema(z.number())).toEqual({ type: 'number', int: false });
    expect(describeSchema(z.number().min(0.5).max(1))).toEqual({ type: 'number', int: false, min: 0.5, max: 1 });
    expect(describeSchema(z.number().int().min(100).max(600_000))).toEqual({ type: 'number', int: true, min: 100, max: 600_000 });
  });

  it('describes lists with their length bounds, and records by their values', () => {
    expect(describeSchema(z.array(z.string()))).toEqual({ type: 'array', element: { type: 'string' } });
    expect(describeSchema(z.array(z.boolean()).min(2).max(10))).toEqual({ type: 'array', element: { type: 'boolean' }, min: 2, max: 10 });
    expect(describeSchema(z.record(z.string(), z.number()))).toEqual({ type: 'record', value: { type: 'number', int: false } });
  });

  it('sees through defaults, pipes, readonly and prefaults, and marks optional and nullable fields', () => {
    const shape = describeSchema(
      z.object({
        a: z.string().default('x'),
        b: z.string().optional(),
        c: z.number().nullable(),
        d: z.string().transform((s) => s.length),
        e: z.array(z.string()).readonly(),
        f: z.boolean().prefault(false),
        g: z.object({ inner: z.enum(['x']) }).optional(),
      }),
    );
    expect(shape).toEqual({
      type: 'object',
      fields: [
        { key: 'a', shape: { type: 'string' }, optional: false },
        { key: 'b', shape: { type: 'string' }, optional: true },
        { key: 'c', shape: { type: 'number', int: false }, optional: true },
        { key: 'd', shape: { type: 'string' }, optional: false },
        { key: 'e', shape: { type: 'array', element: { type: 'string' } }, optional: false },
        { key: 'f', shape: { type: 'boolean' }, optional: false },
        { key: 'g', shape: { type: 'object', fields: [{ key: 'inner', shape: { type: 'enum', options: ['x'] }, optional: false }] }, optional: true },
      ],
    });
  });

  it('describes every node kind params as an object form with no field it cannot draw', () => {
    const unknownFields = (shape: FieldShape, path: string): string[] => {
      switch (shape.type) {
        case 'object':
          return shape.fields.flatMap((f) => unknownFields(f.shape, `${path}.${f.key}`));
        case 'array':
          return unknownFields(shape.element, `${path}[]`);
        case 'record':
          return unknownFields(shape.value, `${path}{}`);
        case 'unknown':
          return [path];
        default:
          return [];
      }
    };
    for (const kind of NODE_KINDS) {
      const shape = describeSchema(NODE_SPECS[kind].params);
      expect(shape.type, kind).toBe('object');
      expect(unknownFields(shape, kind)).toEqual([]);
    }
  });

  it('reads the bounds and options of real node params', () => {
    const route = describeSchema(NODE_SPECS.route.params);
    expect(fieldOf(route, 'timeoutMs')?.shape).toEqual({ type: 'number', int: true, min: 100, max: 600_000 });
    expect(fieldOf(route, 'provider')?.shape).toEqual({ type: 'enum', options: ['auto', ...PROVIDERS] });
    expect(PROVIDERS).toEqual(expect.arrayContaining(['openai', 'anthropic', 'gemini', 'simulator', 'groq', 'vllm', 'ollama']));
    const split = describeSchema(NODE_SPECS.split.params);
    expect(fieldOf(split, 'branches')?.shape).toMatchObject({ type: 'array', min: 2, max: 10 });
    expect(fieldOf(split, 'stickyPath')?.optional).toBe(true);
    expect(fieldOf(describeSchema(NODE_SPECS.condition.params), 'tests')?.shape).toMatchObject({ type: 'array', element: { type: 'object' } });
  });
});

describe('emptyValue', () => {
  it('starts each kind of field with an empty value, a number at its positive minimum and an enum at its first option', () => {
    expect(emptyValue({ type: 'string' })).toBe('');
    expect(emptyValue({ type: 'value' })).toBe('');
    expect(emptyValue({ type: 'boolean' })).toBe(false);
    expect(emptyValue({ type: 'array', element: { type: 'string' }, min: 1 })).toEqual([]);
    expect(emptyValue({ type: 'record', value: { type: 'string' } })).toEqual({});
    expect(emptyValue({ type: 'enum', options: ['b', 'a'] })).toBe('b');
    expect(emptyValue({ type: 'number', int: true, min: 100 })).toBe(100);
    expect(emptyValue({ type: 'number', int: true, min: -5 })).toBe(0);
    expect(emptyValue({ type: 'number', int: false })).toBe(0);
  });

  it('fills an object with its required fields only', () => {
    const shape = describeSchema(z.object({ fact: z.enum(['model', 'tier']), path: z.string().optional(), weight: z.number().int().min(1) }));
    expect(emptyValue(shape)).toEqual({ fact: 'model', weight: 1 });
  });

  it('gives a new split branch and switch case every required field, and the branch fits its split', () => {
    const split = describeSchema(NODE_SPECS.split.params);
    const branches = fieldOf(split, 'branches')?.shape;
    if (branches?.type !== 'array') throw new Error('split branches should be a list');
    expect(emptyValue(branches.element)).toEqual({ weight: 0, label: '' });
    expect(NODE_SPECS.split.params.safeParse({ branches: [{ weight: 100, label: 'A' }, emptyValue(branches.element)] }).success).toBe(true);
    const sw = fieldOf(describeSchema(NODE_SPECS.switch.params), 'cases')?.shape;
    if (sw?.type !== 'array') throw new Error('switch cases should be a list');
    expect(emptyValue(sw.element)).toEqual({ operator: 'equal', value: '', label: '' });
  });
});
