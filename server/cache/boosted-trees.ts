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
