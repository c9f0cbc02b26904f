import { z } from 'zod';
import { TagKeySchema } from '../facts.js';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const TagParamsSchema = z.object({
  tags: z
    .record(TagKeySchema, z.string().min(1, 'a tag needs a value').max(80))
    .refine((t) => Object.keys(t).length > 0, 'add at least one tag')
    .default({ costCenter: 'unassigned' }),
});

export const TagActionSchema = actionSchema('tag', TagParamsSchema);

export const tagNode = defineNode({
  kind: 'tag',
  title: 'Tag',
  description: 'Adds attribution tags, so the ledger books the cost to the right team or project.',
  category: 'step',
  color: '#0d9488',
  icon: '#',
  params: TagParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) =>
    Object.entries(p.tags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', '),
  labels: {},
  itemNames: {},
  action: defineAction({ type: 'tag', schema: TagActionSchema, describe: (a) => `tag ${Object.entries(a.tags).map(([k, v]) => `${k}=${v}`).join(', ')}` }),
  fact: null,
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'tag' as const, node: node.id, tags: p.tags }] }),
});
