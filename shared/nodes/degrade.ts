import { z } from 'zod';
import { RouteProviderSchema } from '../providers.js';
import { actionSchema, defineAction, defineNode } from './spec.js';

type DegradeMode = 'model' | 'cacheOnly' | 'reject';

/** What the caller is told, by mode: each one true of what actually happens. */
export const DEGRADE_MESSAGES: Record<DegradeMode, string> = {
  model: 'Budget nearly spent: answered by a cheaper model.',
  cacheOnly: 'Budget nearly spent: only answers already in the cache are served, and this request has none.',
  reject: 'Budget spent: requests are refused until the budget window resets.',
};

export const DegradeParamsSchema = z
  .object({
    /** model: answer with a cheaper model; cacheOnly: answer only from the cache; reject: refuse. */
    mode: z.enum(['model', 'cacheOnly', 'reject']).default('model'),
    model: z.string().default('gpt-4o-mini'),
    provider: RouteProviderSchema.default('auto'),
    status: z.number().int('an HTTP status').min(400, 'a 4xx or 5xx status').max(599, 'a 4xx or 5xx status').default(429),
    message: z.string().max(500).default(DEGRADE_MESSAGES.model),
  })
  .superRefine((p, ctx) => {
    if (p.mode === 'model' && !p.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'pick the cheaper model' });
    if (p.mode !== 'model' && !p.message) ctx.addIssue({ code: 'custom', path: ['message'], message: 'tell the caller why' });
  });

export const DegradeActionSchema = actionSchema('degrade', DegradeParamsSchema);

export const degradeNode = defineNode({
  kind: 'degrade',
  title: 'Degrade',
  description: 'Serves a cheaper answer near a limit: a cheaper model, the cache only, or a polite refusal.',
  category: 'terminal',
  color: '#ca8a04',
  icon: '↘',
  params: DegradeParamsSchema,
  outputs: () => [],
  summary: (p) =>
    p.mode === 'model' ? `degrade to ${p.model}` : p.mode === 'cacheOnly' ? `cache only, else ${p.status}` : `reject ${p.status}`,
  labels: { model: 'Model' },
  itemNames: {},
  action: defineAction({
    type: 'degrade',
    schema: DegradeActionSchema,
    describe: (a) => (a.mode === 'model' ? `degrade to ${a.model}` : `${a.mode} (${a.status})`),
  }),
  fact: null,
  visibleWhen: {
    model: (p) => p.mode === 'model',
    provider: (p) => p.mode === 'model',
    // A degrade to a model answers; only the other modes refuse with a status and a message.
    status: (p) => p.mode !== 'model',
    message: (p) => p.mode !== 'model',
  },
  adapt: (next, previous) =>
    next.mode !== previous.mode && (previous.message === DEGRADE_MESSAGES[previous.mode] || previous.message === '')
      ? { ...next, message: DEGRADE_MESSAGES[next.mode] }
      : next,
  terminal: (p, node) => ({ type: 'degrade' as const, node: node.id, ...p }),
  models: (p) => (p.mode === 'model' ? [{ field: 'model', model: p.model }] : []),
});
