import { afterEach, describe, expect, it } from 'vitest';
import { workerSchemaChecker, type SchemaChecker, type SchemaCheckerOptions } from '../../server/routing/schema-checker.js';
import { schemaViolation } from '../../server/routing/schema-validation.js';

/** A schema Ajv takes well over 100 ms to compile (200 nested properties, ~28 KB: under the 32 KB past which schemas are not compiled), fresh for each seed. */
function slowSchema(seed: number): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < 200; i++) properties[`f${seed}_${i}`] = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'number', minimum: i } } }, required: ['a'] };
  return { type: 'object', properties };
}

const NUMBER_AT_N = { type: 'object', properties: { n: { type: 'number' } } };

let checker: SchemaChecker | null = null;
const open = (options: SchemaCheckerOptions = {}) => (checker = workerSchemaChecker(options));
afterEach(async () => {
  await checker?.close();
  checker = null;
});

describe('schema checks on a worker thread', () => {
  it('gives the verdicts schemaViolation gives on this thread', async () => {
    const c = open();
    const cases: [unknown, unknown][] = [
      [NUMBER_AT_N, { n: 1 }],
      [NUMBER_AT_N, { n: 'one' }],
      [{ type: 'object', properties: { name: { type: 'string', pattern: '^(a+)+$' } } }, { name: `${'a'.repeat(5_000)}!` }],
      [{ $ref: 'https://example.com/remote.json' }, { n: 1 }],
      ['not a schema', {}],
    ];
    for (const [schema, value] of cases) expect(await c.check(schema, value)).toBe(schemaViolation(schema, value));
    expect(await c.check(NUMBER_AT_N, { n: 'one' })).toBe('/n: must be number');
  });

  it('keeps the event loop turning while a fresh schema compiles', async () => {
    // A deadline no loaded machine reaches: this test is about the loop, not the deadline.
    const c = open({ deadlineMs: 30_000 });
    await c.check(NUMBER_AT_N, { n: 1 });
    let turns = 0;
    let checking = true;
    const spin = () => {
      if (!checking) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    const verdict = await c.check(slowSchema(1), { [`f1_0`]: { b: [] } });
    checking = false;
    expect(verdict).toBe("/f1_0: must have required property 'a'");
    // Compiled on this thread, the check would have held the loop until it was done: no turn at all.
    expect(turns).toBeGreaterThan(0);
  });

  it('leaves unchecked a schema whose compile outlasts the deadline, replaces the stuck worker, and checks again after it', async () => {
    const faults: string[] = [];
    const c = open({ deadlineMs: 50, restartDelayMs: 0, onFault: (f) => faults.push(f.kind) });
    expect(await c.check(NUMBER_AT_N, { n: 'one' })).toBe('/n: must be number');
    expect(await c.check(slowSchema(2), {})).toBeUndefined();
    expect(faults).toContain('deadline');
    expect(await c.check(NUMBER_AT_N, { n: 'two' })).toBe('/n: must be number');
  });

  it('sheds checks past the queue bound at once instead of queueing a flood of fresh schemas', async () => {
    const faults: string[] = [];
    const c = open({ maxPending: 2, onFault: (f) => faults.push(f.kind) });
    const verdicts = await Promise.all([0, 1, 2, 3, 4].map((i) => c.check({ ...NUMBER_AT_N, title: `t${i}` }, { n: 'x' })));
    expect(verdicts.slice(0, 2)).toEqual(['/n: must be number', '/n: must be number']);
    expect(verdicts.slice(2)).toEqual([undefined, undefined, undefined]);
    // Told once, not three times: a flood of shed checks is one warning a second.
    expect(faults.filter((k) => k === 'busy')).toHaveLength(1);
  });

  it('answers unchecked once closed, and for checks still waiting when it closes', async () => {
    const c = open();
    const waiting = c.check(slowSchema(3), {});
    await c.close();
    expect(await waiting).toBeUndefined();
    expect(await c.check(NUMBER_AT_N, { n: 'one' })).toBeUndefined();
  });
});
