import { z } from 'zod';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const AlertParamsSchema = z.object({
  /** The environment variable holding the webhook URL: webhook URLs are secrets and never enter rule files. */
  webhookEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name, like TOLLGATE_ALERT_WEBHOOK')
    .default('TOLLGATE_ALERT_WEBHOOK'),
  message: z.string().min(1, 'say what happened').max(500).default('A request took this path'),
});

export const AlertActionSchema = actionSchema('alert', AlertParamsSchema);

export const alertNode = defineNode({
  kind: 'alert',
  title: 'Alert',
  description: 'Posts a notification to a webhook (at most once a minute per node), without delaying the request.',
  category: 'step',
  color: '#ea580c',
  icon: '!',
  params: AlertParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) => `“${p.message}” → $${p.webhookEnv}`,
  labels: { webhookEnv: 'Webhook URL variable' },
  itemNames: {},
  action: defineAction({ type: 'alert', schema: AlertActionSchema, describe: (a) => `alert “${a.message}”` }),
  fact: null,
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'alert' as const, node: node.id, ...p }] }),
});
