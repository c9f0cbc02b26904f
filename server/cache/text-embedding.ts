/** Dimensions of a text embedding: enough that hashed features seldom collide in a prompt-sized text. */
export const EMBEDDING_DIMS = 1024;

export interface EmbeddingWeights {
  word: number;
  stopWord: number;
  bigram: number;
  trigram: number;
}

export const DEFAULT_WEIGHTS: EmbeddingWeights = { word: 1, stopWord: 0.25, bigram: 0.7, trigram: 0.2 };

/** Words every question shares; they carry little of what a question asks, so they weigh less. */
const STOP_WORDS = new Set(
  'a an the is are was were be been am do does did i me my you your we our it its of to in on at for by with from and or as that this these those there what which who whom how can could should would will shall may might has have had if so than then into about any some'.split(' '),
);

/** Lower case, accents dropped, punctuation to spaces, a plural `s` trimmed: "What's Python's GIL?" and "whats python gil" meet. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .map((w) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w));
}

/**
 * A local, model-free embedding: words, word pairs and character trigrams hashed (with a sign,
 * so collisions cancel rather than pile up) into a fixed-size vector, L2-normalised, so the
 * cosine of two embeddings is their dot product. It sees shared wording, not meaning: a
 * paraphrase with different words scores low, which errs towards a miss, never a wrong answer.
 */
export function embed(text: string, weights: EmbeddingWeights = DEFAULT_WEIGHTS): Float32Array {
  const vector = new Float32Array(EMBEDDING_DIMS);
  let previous: string | null = null;
  for (const word of words(text)) {
    if (STOP_WORDS.has(word)) {
      addFeature(vector, `w ${word}`, weights.stopWord);
      continue;
    }
    addFeature(vector, `w ${word}`, weights.word);
    // Pairs of content words (stop words skipped) keep order: "celsius to fahrenheit" is not "fahrenheit to celsius".
    if (previous !== null && weights.bigram > 0) addFeature(vector, `b ${previous} ${word}`, weights.bigram);
    previous = word;
    if (weights.trigram === 0) continue;
    const padded = ` ${word} `;
    for (let j = 0; j + 3 <= padded.length; j++) addFeature(vector, `c${padded.slice(j, j + 3)}`, weights.trigram);
  }
  return normalise(vector);
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** An embedding's non-zero dimensions: a prompt fills ~100 of 1024, so stored ones are kept sparse. */
export interface SparseEmbedding {
  indices: Uint16Array;
  values: Float32Array;
}

export function toSparse(vector: Float32Array): SparseEmbedding {
  let count = 0;
  for (let i = 0; i < vector.length; i++) if (vector[i] !== 0) count++;
  const indices = new Uint16Array(count);
  const values = new Float32Array(count);
  for (let i = 0, j = 0; i < vector.length; i++) {
    if (vector[i] === 0) continue;
    indices[j] = i;
    values[j++] = vector[i]!;
  }
  return { indices, values };
}

/** Cosine of a dense query and a sparse stored embedding, in time proportional to the stored one's size. */
export function cosineSparse(query: Float32Array, stored: SparseEmbedding): number {
  let dot = 0;
  for (let j = 0; j < stored.indices.length; j++) dot += query[stored.indices[j]!]! * stored.values[j]!;
  return dot;
}

function addFeature(vector: Float32Array, feature: string, weight: number): void {
  const hash = fnv1a(feature);
  vector[hash % EMBEDDING_DIMS]! += hash & 0x80000000 ? -weight : weight;
}

function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

/** 32-bit FNV-1a over UTF-16 code units: fast, stable across runs and machines. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
