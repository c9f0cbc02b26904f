import { z } from 'zod';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const BatchParamsSchema = z.object({
  /** `always`: every request on the path waits for the batch lane; `header`: only those sending `x-tollgate-defer: batch`. */
  trigger: z.enum(['always', 'header']).default('header'),
  /** The name of an environment variable holding a URL that gets each finished job; the URL itself never sits in a rule file. */
  webhookUrlEnv: z
    .string()
    .regex(/^([A-Z_][A-Z0-9_]{0,63})?$/, 'an environment variable name (A-Z, 0-9, _), not a URL')
    .default(''),
});
export type BatchParams = z.output<typeof BatchParamsSchema>;

export const BatchActionSchema = actionSchema('batch', BatchParamsSchema);

export const batchNode = defineNode({
  kind: 'batch',
  title: 'Batch lane',
  description:
    "Requests that may wait go through the provider's batch API (OpenAI Batch, Anthropic Message Batches) at its discount: the caller gets 202 and a job to poll.",
  category: 'step',
  color: '#4d7c0f',
  icon: '▤',
  params: BatchParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) => (p.trigger === 'always' ? 'every request waits for a batch' : 'when asked (x-tollgate-defer: batch)') + (p.webhookUrlEnv ? `, webhook $${p.webhookUrlEnv}` : ''),
  labels: { trigger: 'Defer', webhookUrlEnv: 'Webhook URL from environment variable' },
  itemNames: {},
  action: defineAction({
    type: 'batch',
    schema: BatchActionSchema,
    describe: (a) => (a.trigger === 'always' ? 'deferred to the batch lane' : 'deferred to the batch lane when the caller asks'),
  }),
  fact: null,
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'batch' as const, node: node.id, ...p }] }),
});
