import { describe, expect, it } from 'vitest';
import { gainSignal, pearson, type GainPoint } from '../../bench/router/gain-signal.js';

describe('gainSignal', () => {
  it('computes a plain Pearson correlation', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it('tells a feature that only tells groups apart from one that ranks prompts inside each group', () => {
    // Group b gains more and has longer prompts, but inside each group length says nothing.
    const groupOnly: GainPoint[] = [
      ...[0, 1, 0, 1].map((gain, i) => ({ group: 'a', feature: i % 2 === 0 ? 1 : 2, gain: i < 2 ? gain : 1 - gain })),
      ...[1, 1, 0, 1].map((gain, i) => ({ group: 'b', feature: i % 2 === 0 ? 5 : 6, gain: i < 2 ? gain : gain })),
      ...[0, 0, 0, 1].map((gain, i) => ({ group: 'c', feature: i % 2 === 0 ? 0 : 1, gain: i < 2 ? gain : 1 - gain })),
    ];
    const signal = gainSignal(groupOnly);
    expect(signal.between).toBeGreaterThan(0.9);
    expect(Math.abs(signal.within)).toBeLessThan(0.5);

    const inside: GainPoint[] = ['a', 'b', 'c'].flatMap((group) => [0, 1, 0, 1].map((gain, i) => ({ group, feature: gain + i / 100, gain })));
    expect(gainSignal(inside).within).toBeGreaterThan(0.99);
  });

  it('leaves the largest group out of the second between-group figure', () => {
    const big = Array.from({ length: 10 }, () => ({ group: 'big', feature: 10, gain: 1 }));
    const small = [
      { group: 's1', feature: 0, gain: 0 },
      { group: 's2', feature: 1, gain: 0 },
      { group: 's3', feature: 2, gain: 0 },
    ];
    const signal = gainSignal([...big, ...small]);
    expect(signal.between).toBeGreaterThan(0.9);
    expect(signal.betweenWithoutLargest).toBeNaN();
  });
});
