import { z } from 'zod';
import { defineNode } from './spec.js';

export const BlockParamsSchema = z.object({
  status: z.number().int('an HTTP status').min(400, 'a block answers with a 4xx or 5xx status').max(599, 'a block answers with a 4xx or 5xx status').default(403),
  message: z.string().min(1, 'tell the caller why').max(500).default('Blocked by policy.'),
});

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
  terminal: (p, node) => ({ type: 'block', node: node.id, ...p }),
});
