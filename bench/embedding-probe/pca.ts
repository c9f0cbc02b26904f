import { seededRandom } from '../router/seeded.js';

export interface Projection {
  mean: Float64Array;
  /** Unit principal directions, each scaled by 1 / sqrt(its variance): projected values have unit variance. */
  components: Float64Array[];
}

/**
 * The top `dims` principal components of `vectors`, by seeded subspace iteration on the
 * covariance: deterministic, and fitted only on what it is given (the training folds).
 */
export function fitPca(vectors: readonly Float32Array[], dims: number, seed: number): Projection {
  const d = vectors[0]!.length;
  const mean = new Float64Array(d);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j]! += v[j]! / vectors.length;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (const v of vectors) {
    for (let j = 0; j < d; j++) centred[j] = v[j]! - mean[j]!;
    for (let i = 0; i < d; i++) {
      const ci = centred[i]! / vectors.length;
      if (ci === 0) continue;
      const row = i * d;
      for (let j = i; j < d; j++) cov[row + j]! += ci * centred[j]!;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) cov[i * d + j] = cov[j * d + i]!;
  const random = seededRandom(seed);
  let basis: Float64Array[] = Array.from({ length: dims }, () => Float64Array.from({ length: d }, () => random() - 0.5));
  for (let iteration = 0; iteration < 60; iteration++) basis = orthonormal(basis.map((q) => times(cov, q)));
  const components = basis.map((q) => {
    const variance = dotF(q, times(cov, q));
    const scale = 1 / Math.sqrt(Math.max(variance, 1e-12));
    return q.map((x) => x * scale);
  });
  return { mean, components };
}

export function project(p: Projection, v: Float32Array): number[] {
  return p.components.map((c) => {
    let s = 0;
    for (let j = 0; j < c.length; j++) s += c[j]! * (v[j]! - p.mean[j]!);
    return s;
  });
}

function times(m: Float64Array, q: Float64Array): Float64Array {
  const d = q.length;
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    const row = i * d;
    for (let j = 0; j < d; j++) s += m[row + j]! * q[j]!;
    out[i] = s;
  }
  return out;
}

function dotF(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gram-Schmidt, in order: the first vector keeps its direction, so components come out by variance. */
function orthonormal(vectors: Float64Array[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const v of vectors) {
    const w = Float64Array.from(v);
    for (const u of out) {
      const c = dotF(w, u);
      for (let i = 0; i < w.length; i++) w[i]! -= c * u[i]!;
    }
    const norm = Math.sqrt(dotF(w, w)) || 1;
    out.push(w.map((x) => x / norm));
  }
  return out;
}
