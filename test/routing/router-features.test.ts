import { describe, expect, it } from 'vitest';
import { DENSE_FEATURES, FEATURE_DIM, HASH_DIM, promptShape, routerFeatures } from '../../server/routing/router-features.js';

const PROMPT = 'Which of the following is NOT a prime number?\nA. 2\nB. 3\nC. 9\nD. 11\nAnswer:';

describe('router features', () => {
  it('gives the same vector for the same text, call after call', () => {
    const first = routerFeatures(PROMPT, 'chat');
    routerFeatures('something else entirely, to dirty any reused buffer', 'code');
    expect(routerFeatures(PROMPT, 'chat')).toEqual(first);
  });

  it('is a sparse vector with ascending unique slots inside the feature space, then every dense feature', () => {
    const { indices, values } = routerFeatures(PROMPT, 'math');
    expect(indices).toHaveLength(values.length);
    expect(indices.every((v, i) => i === 0 || v > indices[i - 1]!)).toBe(true);
    expect(indices.every((v) => v >= 0 && v < FEATURE_DIM)).toBe(true);
    expect(indices.slice(-DENSE_FEATURES.length)).toEqual(DENSE_FEATURES.map((_, k) => HASH_DIM + k));
    expect(values.every(Number.isFinite)).toBe(true);
  });

  it('normalises the hashed part to unit length, so a long prompt weighs no more than a short one', () => {
    for (const text of [PROMPT, PROMPT.repeat(40)]) {
      const { indices, values } = routerFeatures(text, 'chat');
      const hashed = values.filter((_, k) => indices[k]! < HASH_DIM);
      expect(hashed.reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(1, 9);
    }
  });

  it('reads structure: options, negation, numbers, task type', () => {
    const dense = (text: string, task: 'chat' | 'math') => {
      const { indices, values } = routerFeatures(text, task);
      return Object.fromEntries(DENSE_FEATURES.map((name, k) => [name, values[indices.indexOf(HASH_DIM + k)]]));
    };
    const mcq = dense(PROMPT, 'math');
    expect(mcq.mcqOptions).toBeCloseTo(0.4);
    expect(mcq.negatedQuestion).toBe(1);
    expect(mcq['task:math']).toBe(1);
    expect(mcq['task:chat']).toBe(0);
    const plain = dense('tell me about the weather', 'chat');
    expect(plain).toMatchObject({ mcqOptions: 0, negatedQuestion: 0, numbers: 0, 'task:chat': 1 });
  });

  it("reads a word problem's reasoning load: quantities, units, operations, fractions, steps", () => {
    const dense = (text: string) => {
      const { indices, values } = routerFeatures(text, 'math');
      return Object.fromEntries(DENSE_FEATURES.map((name, k) => [name, values[indices.indexOf(HASH_DIM + k)]!]));
    };
    const light = dense('Tom has 3 apples. How many apples does Tom have?');
    const heavy = dense(
      'A shop sells pens at $1.25 each and gives a 20% discount on every order of more than 12. If Ana buys 30 pens, then returns a quarter of them, how much does she pay in total?',
    );
    for (const name of ['distinctNumbers', 'units', 'operationWords', 'fractionsPercents', 'decimals', 'largestNumber', 'stepWords']) {
      expect(heavy[name], name).toBeGreaterThan(light[name]!);
    }
    expect(light.howManyMuch).toBe(1);
    expect(light.sentenceCount).toBeCloseTo(2 / 6);
    expect(dense('I. Water boils at 100 C.\nII. Ice floats.\nWhich statements are true?').romanStatements).toBeCloseTo(2 / 3);
    expect(Object.values(heavy).every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('tells multiple-choice prompts from open ones', () => {
    expect(promptShape(PROMPT)).toBe('choice');
    expect(promptShape('How many apples are left if Tom eats 3 of 10? A quick answer, please.')).toBe('open');
    expect(promptShape('')).toBe('open');
  });

  it('handles empty text', () => {
    const { indices, values } = routerFeatures('', 'chat');
    expect(indices.every((i) => i >= HASH_DIM)).toBe(true);
    expect(values.every(Number.isFinite)).toBe(true);
  });
});
