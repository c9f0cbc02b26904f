import fc from 'fast-check';
import type { GraphInput } from '../../shared/graph.js';
import { edge, node } from './graph-builders.js';

type NodeInput = GraphInput['nodes'][number];
type EdgeInput = NonNullable<GraphInput['edges']>[number];

/** Tests a random graph's conditions can hold: every kind of fact a condition or switch reads. */
const TESTS = [
  { fact: 'promptTokens', operator: 'greaterThan', value: 500 },
  { fact: 'complexity', operator: 'equal', value: 'simple' },
  { fact: 'tags', path: 'team', operator: 'in', value: ['search', 'ads'] },
  { fact: 'stream', operator: 'equal', value: true },
  { fact: 'model', operator: 'notEqual', value: 'gpt-4o' },
  { fact: 'hour', operator: 'lessThan', value: 12 },
];

/** Choices that drive the shape of one random policy tree. */
export const graphSeed = fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 });

/**
 * Builds a tree-shaped policy from a list of numbers: branch kinds near the root, steps in
 * between, and every leaf a terminal. Deterministic for a given seed.
 */
export function randomGraph(seed: number[]): GraphInput {
  let cursor = 0;
  const next = () => seed[cursor++ % seed.length]!;
  const nodes: NodeInput[] = [node('req', 'request')];
  const edges: EdgeInput[] = [];
  let counter = 0;

  const grow = (depth: number): string => {
    const id = `n${counter++}`;
    const pick = depth >= 4 ? 7 + (next() % 3) : next() % 10;
    const child = (handle: string) => edges.push(edge(id, handle, grow(depth + 1)));
    switch (pick) {
      case 0: {
        const tests = [TESTS[next() % TESTS.length]!, TESTS[next() % TESTS.length]!].slice(0, 1 + (next() % 2));
        nodes.push(node(id, 'condition', { match: next() % 2 ? 'all' : 'any', tests }));
        child('true');
        child('false');
        break;
      }
      case 1: {
        const cases = [{ value: 'simple' }, { value: 'complex' }].slice(0, 1 + (next() % 2));
        nodes.push(node(id, 'switch', { fact: 'complexity', cases }));
        cases.forEach((_, i) => child(`case${i}`));
        child('default');
        break;
      }
      case 2: {
        const a = next() % 101;
        nodes.push(node(id, 'split', { branches: [{ weight: a }, { weight: 100 - a }], stickyBy: 'user' }));
        child('branch0');
        child('branch1');
        break;
      }
      case 3:
        nodes.push(node(id, 'budget', { scope: 'tag:team', limitUsd: 10, thresholdPct: 50 + (next() % 60) }));
        child('ok');
        child('over');
        break;
      case 4:
        nodes.push(node(id, 'rateLimit', { scope: 'user', rpm: 1 + (next() % 100) }));
        child('ok');
        child('limited');
        break;
      case 5:
        nodes.push(node(id, 'cache', { mode: next() % 2 ? 'exact' : 'semantic' }));
        child('next');
        break;
      case 6:
        nodes.push(node(id, 'tag', { tags: { costCenter: `cc${next() % 5}` } }));
        child('next');
        break;
      case 7:
        nodes.push(node(id, 'route', { model: next() % 2 ? 'gpt-4o-mini' : 'gpt-4o' }));
        break;
      case 8:
        nodes.push(node(id, 'block', { status: 403 }));
        break;
      default:
        nodes.push(node(id, 'degrade', { mode: 'model', model: 'gpt-4.1-nano' }));
    }
    return id;
  };
  edges.push(edge('req', 'next', grow(0)));
  return { id: 'random', name: 'random', nodes, edges };
}

export const randomFacts = fc.record({
  model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-20250514'),
  provider: fc.constant('openai'),
  promptTokens: fc.nat(3000),
  maxTokens: fc.nat(1000),
  messageCount: fc.integer({ min: 1, max: 20 }),
  hasTools: fc.boolean(),
  hasImages: fc.boolean(),
  stream: fc.boolean(),
  tags: fc.record({ team: fc.constantFrom('search', 'ads', 'legal') }, { requiredKeys: [] }),
  user: fc.constantFrom('', 'u1', 'u2', 'alice'),
  serviceKey: fc.constant('key_test'),
  tier: fc.constantFrom('', 'free', 'premium'),
  taskType: fc.constantFrom('chat', 'code', 'math'),
  complexity: fc.constantFrom('simple', 'moderate', 'complex'),
  hour: fc.integer({ min: 0, max: 23 }),
  weekday: fc.constantFrom('mon', 'sat'),
  estimatedCostUsd: fc.double({ min: 0, max: 1, noNaN: true }),
});

export const randomDynamic = fc.record({
  budgetUsedPct: fc.double({ min: 0, max: 200, noNaN: true }),
  rateLimited: fc.boolean(),
  splitBucket: fc.integer({ min: 0, max: 99 }),
});
