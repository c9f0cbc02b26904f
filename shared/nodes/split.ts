import { z } from 'zod';
import { TestableFactSchema } from '../facts.js';
import type { FactCondition } from '../condition.js';
import { tagPath } from '../facts.js';
import { defineFact, defineNode } from './spec.js';

export const SplitParamsSchema = z
  .object({
    branches: z
      .array(z.object({ weight: z.number().int('a whole percentage').min(0, 'at least 0%').max(100, 'at most 100%'), label: z.string().max(40).default('') }))
      .min(2, 'a split needs at least two branches')
      .max(10, 'at most 10 branches')
      .default([
        { weight: 90, label: 'A' },
        { weight: 10, label: 'B' },
      ]),
    /** The fact whose value picks the bucket, so one user (or team) always lands in the same branch. */
    stickyBy: TestableFactSchema.default('user'),
    stickyPath: z.string().optional(),
  })
  .superRefine((p, ctx) => {
    const total = p.branches.reduce((sum, b) => sum + b.weight, 0);
    if (total !== 100) ctx.addIssue({ code: 'custom', path: ['branches'], message: `weights add up to ${total}, not 100` });
  });

/** The `splitBucket` fact: the request's bucket 0-99 for this node, from the sticky fact's value. */
export const SplitFactParamsSchema = z.object({ node: z.string(), by: z.string(), path: z.string().optional() });
export type SplitFactParams = z.output<typeof SplitFactParamsSchema>;

export const branchHandle = (index: number) => `branch${index}`;

export const splitNode = defineNode({
  kind: 'split',
  title: 'Split',
  description: 'Divides traffic by weight into a deterministic bucket 0-99 (A/B tests, load balancing).',
  category: 'branch',
  color: '#0891b2',
  icon: '⋔',
  params: SplitParamsSchema,
  outputs: (p) => p.branches.map((b, i) => ({ id: branchHandle(i), label: `${b.label || `branch ${i + 1}`} ${b.weight}%` })),
  summary: (p) => `${p.branches.map((b) => `${b.weight}%`).join(' / ')} by ${p.stickyBy}${p.stickyPath ? `.${p.stickyPath}` : ''}`,
  labels: { stickyBy: 'Sticky by', stickyPath: 'Sticky tag key', branches: 'Branches', weight: 'Weight (%)' },
  itemNames: { branches: 'Branch' },
  action: null,
  fact: defineFact({ name: 'splitBucket', params: SplitFactParamsSchema, value: z.number().int().min(0).max(99) }),
  leave: (p, handle, node) => {
    const index = Number(handle.slice('branch'.length));
    const lo = p.branches.slice(0, index).reduce((sum, b) => sum + b.weight, 0);
    const hi = lo + (p.branches[index]?.weight ?? 0);
    const params = {
      node: node.id,
      by: p.stickyBy,
      ...(p.stickyBy === 'tags' && p.stickyPath ? { path: tagPath(p.stickyPath) } : {}),
    };
    const conditions: FactCondition[] = [];
    if (lo > 0) conditions.push({ fact: 'splitBucket', operator: 'greaterThanInclusive', value: lo, params });
    if (hi < 100) conditions.push({ fact: 'splitBucket', operator: 'lessThan', value: hi, params });
    // A zero-weight branch (lo === hi) must never match, even at the edges of the range.
    if (lo === hi) conditions.push({ fact: 'splitBucket', operator: 'lessThan', value: -1, params });
    return { conditions, actions: [] };
  },
});
