import fc from 'fast-check';
import type { RequestFacts } from '../../shared/facts.js';
import { OPERATORS } from '../../shared/operators.js';
import type { Condition, Rule, RuleFile } from '../../shared/rule-file.js';
import { dataKey } from '../../server/engine/data-key.js';
import { DYNAMIC_FACTS } from '../../server/engine/dynamic-facts.js';
import type { DynamicFactResolver } from '../../server/engine/evaluator.js';

/*
 * Random rule sets and requests that probe json-rules-engine's quirks: loose numeric
 * validation, `in` on strings, empty groups, paths into tags, missing facts, prototype names,
 * dynamic facts with params that differ only by key order. Exported for benchmarks too.
 */

const STATIC_FACTS = ['model', 'promptTokens', 'tags', 'tier', 'hasTools', 'absent', 'constructor', 'toString'] as const;

/** Values a condition compares against and facts take; NaN and Infinity only live in memory. */
const SCALARS: unknown[] = [
  0, -1, 1, 5, 7, 100, 0.5, Number.NaN, Number.POSITIVE_INFINITY,
  '5', '5abc', '', 'abc', 'a', 'gpt-4o', ' 7 ', '0x10', 'Infinity', 'NaN', '-',
  true, false, null,
];
const LISTS: unknown[] = [[1, 5], ['a', 'b', 'abc'], [], ['5'], [null], [true, 0], ['gpt-4o', 'claude'], [[1]]];
const OBJECTS: unknown[] = [{ a: 1 }, { team: 'a' }];

const TAGS: unknown[] = [
  { team: 'a', n: 5, s: '5', e: '', z: 0, nested: { x: 1, y: 'abc' }, arr: [1, 5], t: true },
  { team: 'abc', n: '7x', s: 'abc', nested: null, arr: [] },
  { team: 'b', 0: 'zero', length: 3 },
  {},
  'a',
  null,
  [1, 5, 'a'],
];

const PATHS = ['$.team', '$.n', '$.s', '$.e', '$.z', '$.nested.x', '$.nested.y', "$['team']", '$["s"]', '$.arr',
  '$.arr.length', '$.s.length', '$.e.length', '$.team.length', '$.missing', '$.missing.x', '$.0', '$.length', '$.t.x', '$.constructor'];

/** Params variants: two spell the same object with a different key order, so they share a cache entry. */
const PARAMS: (Record<string, unknown> | undefined)[] = [
  undefined,
  {},
  { scope: 'a' },
  { scope: 'b' },
  { scope: 'a', window: 'day' },
  { window: 'day', scope: 'a' },
];

const anyValue = fc.constantFrom(...SCALARS, ...LISTS, ...OBJECTS);

function valueFor(operator: string): fc.Arbitrary<unknown> {
  if (operator === 'in' || operator === 'notIn') return fc.oneof(fc.constantFrom(...LISTS), fc.constantFrom('abc', 'gpt-4o', '5', ''));
  return anyValue;
}

/** Negated operators hold for most values, so they are drawn less often to keep rules selective. */
const NEGATED = new Set(['notEqual', 'notIn', 'doesNotContain']);
const operator = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...OPERATORS.filter((op) => !NEGATED.has(op))) },
  { weight: 1, arbitrary: fc.constantFrom(...OPERATORS.filter((op) => NEGATED.has(op))) },
);

/** Mostly non-empty groups; an empty one (true for "all" and "any" alike) now and then. */
const children = <T>(arb: fc.Arbitrary<T>, emptyOneIn = 12): fc.Arbitrary<T[]> =>
  fc.oneof({ weight: 1, arbitrary: fc.constant<T[]>([]) }, { weight: emptyOneIn, arbitrary: fc.array(arb, { minLength: 1, maxLength: 4 }) });

const staticCondition = fc
  .record({ fact: fc.constantFrom(...STATIC_FACTS), operator, path: fc.option(fc.constantFrom(...PATHS), { freq: 2 }) })
  .chain(({ fact, operator: op, path }) =>
    valueFor(op).map((value): Condition => ({ fact, operator: op, value, ...(path ? { path } : {}) })),
  );

const dynamicCondition = fc
  .record({
    fact: fc.constantFrom(...DYNAMIC_FACTS),
    operator,
    params: fc.constantFrom(...PARAMS),
    path: fc.option(fc.constantFrom('$.pct', '$.ok'), { freq: 5 }),
  })
  .chain(({ fact, operator: op, params, path }) =>
    valueFor(op).map((value): Condition => ({
      fact,
      operator: op,
      value,
      ...(params ? { params } : {}),
      ...(path ? { path } : {}),
    })),
  );

/** Rare at the root: an empty root always matches and would hide every rule after it. */
const ROOT_EMPTY_ONE_IN = 60;

/** Condition priorities only reorder evaluation; they must never change a result. */
const withPriority = <T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> =>
  fc.tuple(arb, fc.option(fc.constantFrom(1, 2, 5, '3', 0), { freq: 4 })).map(([c, priority]) =>
    priority === null ? c : { ...c, priority },
  );

function conditionTree(withDynamic: boolean): fc.Arbitrary<Condition> {
  const leaf = withDynamic ? fc.oneof({ weight: 3, arbitrary: staticCondition }, { weight: 2, arbitrary: dynamicCondition }) : staticCondition;
  const { tree } = fc.letrec<{ tree: Condition; group: Condition }>((tie) => ({
    // Past depth 3 the first option (a leaf) is forced: with the top-level group, trees are at most 4 deep.
    tree: fc.oneof({ maxDepth: 3, depthIdentifier: 'condition', withCrossShrink: true }, withPriority(leaf), tie('group')),
    group: fc.oneof(
      withPriority(children(tie('tree')).map((all): Condition => ({ all }))),
      withPriority(children(tie('tree')).map((any): Condition => ({ any }))),
      withPriority(tie('tree').map((not): Condition => ({ not }))),
    ),
  }));
  return tree;
}

const topLevel = (withDynamic: boolean): fc.Arbitrary<Rule['conditions']> =>
  fc.oneof(
    { weight: 8, arbitrary: children(conditionTree(withDynamic), ROOT_EMPTY_ONE_IN).map((all) => ({ all })) },
    { weight: 1, arbitrary: children(conditionTree(withDynamic), ROOT_EMPTY_ONE_IN).map((any) => ({ any })) },
    { weight: 1, arbitrary: conditionTree(withDynamic).map((not) => ({ not })) },
  );

/** 1..30 rules named r0..rN (index = file position); priorities unique, or drawn from 1..4 so they tie. */
export function ruleSetArbitrary(options: { withDynamic?: boolean; maxRules?: number } = {}): fc.Arbitrary<Rule[]> {
  const withDynamic = options.withDynamic ?? true;
  return fc
    .integer({ min: 1, max: options.maxRules ?? 30 })
    .chain((count) => fc.array(topLevel(withDynamic), { minLength: count, maxLength: count }))
    .chain((conditions) =>
      fc.tuple(
        fc.constant(conditions),
        fc.oneof(
          fc.shuffledSubarray(range(1, 200), { minLength: conditions.length, maxLength: conditions.length }),
          fc.array(fc.integer({ min: 1, max: 4 }), { minLength: conditions.length, maxLength: conditions.length }),
        ),
      ),
    )
    .map(([conditions, priorities]) =>
      conditions.map((c, i) => ({
        name: `r${i}`,
        priority: priorities[i]!,
        conditions: c,
        event: { type: 'decision', params: { path: [], edges: [], actions: [] } },
      })) as Rule[],
    );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** A request's facts: any key may be missing, present but undefined, or of the wrong type. */
export const factsArbitrary: fc.Arbitrary<RequestFacts> = fc
  .record(
    {
      model: fc.constantFrom('gpt-4o', 'claude', '', 5, undefined),
      promptTokens: fc.constantFrom(0, 5, 7, 100, 6000, '5', '5abc', null, undefined, Number.NaN, [5], true),
      tags: fc.constantFrom(...TAGS),
      tier: fc.constantFrom('free', 'premium', 'abc', undefined),
      hasTools: fc.constantFrom(true, false, 'true', 0),
      constructor: fc.constantFrom('own', 5),
      budgetUsedPct: fc.constantFrom(50, undefined),
    },
    { requiredKeys: [] },
  )
  .map((facts) => facts as unknown as RequestFacts);

/** What each dynamic fact resolves to, per canonical params: fixed for one decision, like the runtime's. */
export const dynamicValuesArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(
  fc.constantFrom(...DYNAMIC_FACTS.flatMap((fact) => PARAMS.map((params) => dynamicKey(fact, params ?? {})))),
  fc.constantFrom(0, 5, 50, 80, 100, 150, '50', '5abc', true, false, null, undefined, { pct: 90, ok: true }, [5]),
);

export function dynamicKey(fact: string, params: unknown): string {
  return `${fact}|${dataKey(params)}`;
}

/** A resolver backed by a value table that records every call as `fact|params`. */
export function recordingResolver(values: Record<string, unknown>): { resolve: DynamicFactResolver; calls: string[] } {
  const calls: string[] = [];
  const resolve: DynamicFactResolver = (fact, params) => {
    const key = dynamicKey(fact, params);
    calls.push(key);
    return key in values ? values[key] : 42;
  };
  return { resolve, calls };
}

export function ruleFileOf(rules: Rule[]): RuleFile {
  return {
    policy: { id: 'random', name: 'random', description: '', version: 1, compiledAt: '2025-01-01T00:00:00.000Z', compiler: 'test' },
    rules,
    graph: { id: 'random', name: 'random', description: '', version: 1, nodes: [], edges: [] } as unknown as RuleFile['graph'],
  };
}
