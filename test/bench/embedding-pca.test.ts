import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fitPca, project } from '../../bench/embedding-probe/pca.js';
import { EmbeddingStore } from '../../bench/embedding-probe/use-embeddings.js';
import { seededRandom } from '../../bench/router/seeded.js';

/** Points spread 5× more along (1, 1, 0, 0)/√2 than along (0, 0, 1, 0), hardly at all elsewhere. */
function cloud(n: number): Float32Array[] {
  const random = seededRandom(7);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, () => {
    const [a, b, c] = [5 * gauss(), gauss(), 0.01 * gauss()];
    return Float32Array.from([a / Math.SQRT2 + 3, a / Math.SQRT2 - 1, b, c]);
  });
}

describe('fitPca', () => {
  it('finds the directions of most variance, in order, and whitens them', () => {
    const points = cloud(2000);
    const pca = fitPca(points, 2, 1);
    const unit = pca.components.map((c) => {
      const norm = Math.hypot(...c);
      return Array.from(c, (x) => Math.abs(x / norm));
    });
    expect(unit[0]![0]).toBeCloseTo(Math.SQRT1_2, 2);
    expect(unit[0]![1]).toBeCloseTo(Math.SQRT1_2, 2);
    expect(unit[1]![2]).toBeCloseTo(1, 2);
    const projected = points.map((p) => project(pca, p));
    for (const k of [0, 1]) {
      const values = projected.map((v) => v[k]!);
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length;
      expect(mean).toBeCloseTo(0, 6);
      expect(variance).toBeCloseTo(1, 6);
    }
  });

  it('gives the same projection for the same data and seed', () => {
    const points = cloud(300);
    expect(project(fitPca(points, 2, 3), points[0]!)).toEqual(project(fitPca(points, 2, 3), points[0]!));
  });
});

describe('EmbeddingStore', () => {
  it('names the missing texts and the flag that embeds them instead of guessing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-embeddings-'));
    try {
      const store = new EmbeddingStore(path.join(dir, 'none.jsonl'));
      await expect(store.ensure({ texts: ['a', 'b', 'a'] })).rejects.toThrow(/2 texts have no embedding .*--modules DIR/);
      expect(() => store.get('a')).toThrow(/no embedding for "a"/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
