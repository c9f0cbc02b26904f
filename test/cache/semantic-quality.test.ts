import { describe, expect, it } from 'vitest';
import { semanticCacheQuality, type LabelledPair } from '../../server/cache/semantic-quality.js';

const pairs: LabelledPair[] = [
  { a: 'How do I learn Python quickly?', b: 'how do i learn python quickly', duplicate: true },
  { a: 'What is the capital of France?', b: "What's the capital of France?", duplicate: true },
  { a: 'What are the best books on economics?', b: 'Which economics books are the best?', duplicate: true },
  { a: 'How do I convert celsius to fahrenheit?', b: 'How do I convert fahrenheit to celsius?', duplicate: false },
  { a: 'What is the capital of France?', b: 'What is the population of France?', duplicate: false },
];

describe('semantic cache quality', () => {
  it('counts hits on duplicates and false hits on the others at each threshold', () => {
    const [loose, strict] = semanticCacheQuality(pairs, [0.5, 0.95]);
    expect(loose).toMatchObject({ threshold: 0.5, duplicates: 3, nonDuplicates: 2 });
    expect(loose!.hitRate).toBe(1);
    expect(loose!.falseHitRate).toBeGreaterThan(0);
    expect(strict).toMatchObject({ threshold: 0.95, falseHitRate: 0 });
    expect(strict!.hitRate).toBeCloseTo(2 / 3);
  });

  it('reports zero rates for an empty set', () => {
    expect(semanticCacheQuality([], [0.9])).toEqual([{ threshold: 0.9, hitRate: 0, falseHitRate: 0, duplicates: 0, nonDuplicates: 0 }]);
  });
});
