import { z } from 'zod';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const BlockParamsSchema = z.object({
  status: z.number().int('an HTTP status').min(400, 'a block answers with a 4xx or 5xx status').max(599, 'a block answers with a 4xx or 5xx status').default(403),
  message: z.string().min(1, 'tell the caller why').max(500).default('Blocked by policy.'),
});

export const BlockActionSchema = actionSchema('block', BlockParamsSchema);

export const blockNode = defineNode({
  kind: 'block',
  title: 'Block',
  description: 'Refuses the request with a status and a clear message.',
  category: 'terminal',
  color: '#b91c1c',
  icon: '■',
  params: BlockParamsSchema,
  outputs: () => [],
  summary: (p) => `block ${p.status}: ${p.message}`,
  labels: {},
  itemNames: {},
  action: defineAction({ type: 'block', schema: BlockActionSchema, describe: (a) => `block ${a.status}: ${a.message}` }),
  fact: null,
  terminal: (p, node) => ({ type: 'block' as const, node: node.id, ...p }),
});
