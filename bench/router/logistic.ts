import { linearScore, sigmoid } from '../../server/routing/router-model.js';
import type { SparseVector } from '../../server/routing/router-features.js';

export interface TrainOptions {
  xs: SparseVector[];
  /** Targets in 0..1. */
  ys: number[];
  dim: number;
  /** L2 strength on the weights (not the bias), per sample. */
  l2: number;
  iterations: number;
  learningRate: number;
}

export interface LinearModel {
  bias: number;
  weights: number[];
}

/**
 * L2-regularised logistic regression by full-batch Adam: no sampling, so the same data always
 * gives the same weights (the seed only decides which data a fit sees).
 */
export function trainLogistic(o: TrainOptions): LinearModel {
  const w = new Float64Array(o.dim);
  const m = new Float64Array(o.dim + 1);
  const v = new Float64Array(o.dim + 1);
  const grad = new Float64Array(o.dim + 1);
  const prior = o.ys.reduce((a, b) => a + b, 0) / o.ys.length;
  let bias = Math.log(Math.max(prior, 1e-6) / Math.max(1 - prior, 1e-6));
  const n = o.xs.length;
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  for (let t = 1; t <= o.iterations; t++) {
    grad.fill(0);
    for (let i = 0; i < n; i++) {
      const x = o.xs[i]!;
      const err = sigmoid(linearScore({ bias, weights: w as unknown as number[] }, x)) - o.ys[i]!;
      for (let k = 0; k < x.indices.length; k++) grad[x.indices[k]!]! += err * x.values[k]!;
      grad[o.dim]! += err;
    }
    for (let j = 0; j <= o.dim; j++) {
      let g = grad[j]! / n;
      if (j < o.dim) g += o.l2 * w[j]!;
      m[j] = b1 * m[j]! + (1 - b1) * g;
      v[j] = b2 * v[j]! + (1 - b2) * g * g;
      const step = (o.learningRate * (m[j]! / (1 - b1 ** t))) / (Math.sqrt(v[j]! / (1 - b2 ** t)) + eps);
      if (j < o.dim) w[j]! -= step;
      else bias -= step;
    }
  }
  return { bias, weights: Array.from(w) };
}
