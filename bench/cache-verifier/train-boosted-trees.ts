import type { BoostedTrees, Tree } from '../../server/cache/boosted-trees.js';

export interface BoostOptions {
  rounds: number;
  depth: number;
  learningRate: number;
  /** Least summed hessian in a leaf: keeps leaves from fitting a handful of pairs. */
  minChildWeight: number;
  lambda: number;
  bins: number;
}

export const DEFAULT_BOOST: BoostOptions = { rounds: 300, depth: 5, learningRate: 0.05, minChildWeight: 0.3, lambda: 2, bins: 48 };

/** Candidate split points per feature: quantiles of its training values. */
function binEdges(column: Float64Array, bins: number): number[] {
  const sorted = Float64Array.from(column).sort();
  const edges: number[] = [];
  for (let b = 1; b < bins; b++) {
    const value = sorted[Math.floor((b * sorted.length) / bins)]!;
    if (edges.length === 0 || value > edges[edges.length - 1]!) edges.push(value);
  }
  return edges;
}

function binOf(edges: readonly number[], value: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Gradient-boosted trees on the logistic loss with histogram splits: deterministic (no sampling),
 * so the same data always gives the same model.
 */
export function trainBoostedTrees(rows: readonly (readonly number[])[], labels: readonly number[], options: BoostOptions = DEFAULT_BOOST): BoostedTrees {
  const n = rows.length;
  const features = rows[0]?.length ?? 0;
  const edges: number[][] = [];
  const binned: Uint8Array[] = [];
  for (let f = 0; f < features; f++) {
    const column = Float64Array.from(rows, (r) => r[f]!);
    const e = binEdges(column, options.bins);
    edges.push(e);
    binned.push(Uint8Array.from(column, (v) => binOf(e, v)));
  }
  const positives = labels.reduce((s, y) => s + y, 0);
  const base = Math.log((positives + 1) / (n - positives + 1));
  const margin = new Float64Array(n).fill(base);
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  const trees: Tree[] = [];

  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-margin[i]!));
      grad[i] = p - labels[i]!;
      hess[i] = Math.max(p * (1 - p), 1e-6);
    }
    const tree: Tree = { f: [], t: [], l: [], r: [], v: [] };
    const members = Array.from({ length: n }, (_, i) => i);
    grow(tree, members, 0);
    trees.push(tree);
    for (let i = 0; i < n; i++) margin[i]! += leafFor(tree, rows[i]!);
  }
  return { base, trees };

  function leafFor(tree: Tree, x: readonly number[]): number {
    let i = 0;
    while (tree.f[i]! >= 0) i = x[tree.f[i]!]! <= tree.t[i]! ? tree.l[i]! : tree.r[i]!;
    return tree.v[i]!;
  }

  function grow(tree: Tree, members: number[], depth: number): number {
    const id = tree.f.length;
    tree.f.push(-1);
    tree.t.push(0);
    tree.l.push(-1);
    tree.r.push(-1);
    let g = 0;
    let h = 0;
    for (const i of members) {
      g += grad[i]!;
      h += hess[i]!;
    }
    tree.v.push((-g / (h + options.lambda)) * options.learningRate);
    if (depth >= options.depth) return id;
    const split = bestSplit(members, g, h);
    if (!split) return id;
    const left = members.filter((i) => binned[split.feature]![i]! <= split.bin);
    const right = members.filter((i) => binned[split.feature]![i]! > split.bin);
    tree.f[id] = split.feature;
    tree.t[id] = edges[split.feature]![split.bin]!;
    tree.l[id] = grow(tree, left, depth + 1);
    tree.r[id] = grow(tree, right, depth + 1);
    return id;
  }

  function bestSplit(members: number[], g: number, h: number): { feature: number; bin: number } | null {
    const parent = (g * g) / (h + options.lambda);
    let best: { feature: number; bin: number; gain: number } | null = null;
    for (let f = 0; f < features; f++) {
      const count = edges[f]!.length;
      if (count === 0) continue;
      const gh = new Float64Array(count + 1);
      const hh = new Float64Array(count + 1);
      const column = binned[f]!;
      for (const i of members) {
        gh[column[i]!]! += grad[i]!;
        hh[column[i]!]! += hess[i]!;
      }
      let gl = 0;
      let hl = 0;
      for (let b = 0; b < count; b++) {
        gl += gh[b]!;
        hl += hh[b]!;
        const hr = h - hl;
        if (hl < options.minChildWeight || hr < options.minChildWeight) continue;
        const gr = g - gl;
        const gain = (gl * gl) / (hl + options.lambda) + (gr * gr) / (hr + options.lambda) - parent;
        if (gain > 1e-9 && (!best || gain > best.gain)) best = { feature: f, bin: b, gain };
      }
    }
    return best;
  }
}
