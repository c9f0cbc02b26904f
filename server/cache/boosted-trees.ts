import { z } from 'zod';

/**
 * One regression tree, flattened: node i splits on feature `f[i]` (go to `l[i]` when the value is
 * ≤ `t[i]`, else `r[i]`), or is a leaf worth `v[i]` when `f[i]` is -1.
 */
export const TreeSchema = z.object({
  f: z.array(z.number().int()),
  t: z.array(z.number()),
  l: z.array(z.number().int()),
  r: z.array(z.number().int()),
  v: z.array(z.number()),
});
export type Tree = z.infer<typeof TreeSchema>;

export const BoostedTreesSchema = z.object({ base: z.number(), trees: z.array(TreeSchema) });
export type BoostedTrees = z.infer<typeof BoostedTreesSchema>;

export function treeValue(tree: Tree, x: readonly number[]): number {
  let i = 0;
  while (tree.f[i]! >= 0) i = x[tree.f[i]!]! <= tree.t[i]! ? tree.l[i]! : tree.r[i]!;
  return tree.v[i]!;
}

/** P(label 1) for a feature vector: the logistic of the base score plus every tree's value. */
export function boostedProbability(model: BoostedTrees, x: readonly number[]): number {
  let margin = model.base;
  for (const tree of model.trees) margin += treeValue(tree, x);
  return 1 / (1 + Math.exp(-margin));
}

/** Trees flattened into typed arrays, for scoring on the request path without chasing JSON arrays. */
export interface CompiledTrees {
  base: number;
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export function compileTrees(model: BoostedTrees): CompiledTrees {
  const total = model.trees.reduce((n, t) => n + t.f.length, 0);
  const compiled: CompiledTrees = {
    base: model.base,
    roots: new Int32Array(model.trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
  };
  let offset = 0;
  model.trees.forEach((tree, i) => {
    compiled.roots[i] = offset;
    for (let j = 0; j < tree.f.length; j++) {
      compiled.feature[offset + j] = tree.f[j]!;
      compiled.threshold[offset + j] = tree.t[j]!;
      compiled.left[offset + j] = offset + tree.l[j]!;
      compiled.right[offset + j] = offset + tree.r[j]!;
      compiled.value[offset + j] = tree.v[j]!;
    }
    offset += tree.f.length;
  });
  return compiled;
}

/** Same result as boostedProbability, faster. */
export function compiledProbability(model: CompiledTrees, x: readonly number[]): number {
  let margin = model.base;
  for (let t = 0; t < model.roots.length; t++) {
    let i = model.roots[t]!;
    while (model.feature[i]! >= 0) i = x[model.feature[i]!]! <= model.threshold[i]! ? model.left[i]! : model.right[i]!;
    margin += model.value[i]!;
  }
  return 1 / (1 + Math.exp(-margin));
}
