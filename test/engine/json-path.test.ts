import fc from 'fast-check';
import { Almanac } from 'json-rules-engine';
import { describe, expect, it } from 'vitest';
import { applyFactPath, parseSimplePath } from '../../server/engine/json-path.js';

/** json-rules-engine's own path resolution (almanac + jsonpath-plus), the oracle for the native walk. */
async function engineFactValue(value: unknown, path: string): Promise<unknown> {
  const almanac = new Almanac({ allowUndefinedFacts: true });
  almanac.addFact('x', value);
  return almanac.factValue('x', {}, path);
}

const KEYS = ['a', 'b', 'length', '0', '1', 'team', 'constructor', 'toString', '__proto__'];

const leaf = fc.constantFrom<unknown>('', 'abc', 0, 1, -1, true, false, null, undefined, Number.NaN);
const { node: tree } = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'json' },
    leaf,
    fc.dictionary(fc.constantFrom(...KEYS), tie('node'), { maxKeys: 4 }),
    fc.array(tie('node'), { maxLength: 3 }),
  ),
}));

const simplePath = fc
  .array(
    fc.constantFrom(...KEYS.filter((k) => /^[A-Za-z0-9_]+$/.test(k))).chain((key) => fc.constantFrom(`.${key}`, `['${key}']`, `["${key}"]`)),
    { minLength: 1, maxLength: 3 },
  )
  .map((segments) => `$${segments.join('')}`);

describe('native JSONPath subset', () => {
  it('reads the same value as json-rules-engine for plain property paths', async () => {
    await fc.assert(
      fc.asyncProperty(tree, simplePath, async (value, path) => {
        const segments = parseSimplePath(path);
        expect(segments).not.toBeNull();
        // toBe is Object.is: the very same value (not a copy), NaN equal to NaN.
        expect(applyFactPath(value, segments!)).toBe(await engineFactValue(value, path));
      }),
      { numRuns: 3000 },
    );
  });

  it('does not walk into an empty string, as jsonpath-plus skips falsy values', async () => {
    const value = { e: '', s: 'abc' };
    expect(applyFactPath(value, parseSimplePath('$.e.length')!)).toBeUndefined();
    expect(applyFactPath(value, parseSimplePath('$.s.length')!)).toBe(3);
    expect(await engineFactValue(value, '$.e.length')).toBeUndefined();
  });

  it('leaves filters, wildcards, recursion and indexes to jsonpath-plus', () => {
    for (const path of ['$', '$..a', '$.*', '$.a[0]', '$.a[*]', "$.a[?(@.b)]", 'a', '.a', '$.a-b', "$['a.b']", '$.a.']) {
      expect(parseSimplePath(path)).toBeNull();
    }
  });
});
