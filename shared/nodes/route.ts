import { z } from 'zod';
import { RouteProviderSchema } from '../providers.js';
import { defineAction, defineNode } from './spec.js';

/** The route model `*` keeps the model the request asked for (a pass-through route). */
export const REQUESTED_MODEL = '*';

export const RouteParamsSchema = z.object({
  model: z.string().min(1, 'pick a model').default('gpt-4o-mini'),
  provider: RouteProviderSchema.default('auto'),
  timeoutMs: z.number().int('whole milliseconds').min(100, 'at least 100 ms').max(600_000, 'at most 10 minutes').default(30_000),
  retries: z.number().int('a whole number').min(0, 'at least 0').max(5, 'at most 5 retries').default(1),
  /** First retry waits this long, doubling each time (a 429's Retry-After wins when longer). */
  backoffMs: z.number().int('whole milliseconds').min(0, 'at least 0 ms').max(60_000, 'at most a minute').default(250),
});
export type RouteParams = z.output<typeof RouteParamsSchema>;

/** One model a route tries: the route itself or a fallback on its onError chain. */
export const RouteTargetSchema = z.object({ node: z.string(), ...RouteParamsSchema.shape });
export type RouteTarget = z.output<typeof RouteTargetSchema>;
export const RouteActionSchema = z.object({
  type: z.literal('route'),
  ...RouteTargetSchema.shape,
  /** Tried in order when this route fails after its retries (the `onError` chain). */
  fallbacks: z.array(RouteTargetSchema),
});

export function describeRoute(p: RouteParams): string {
  const seconds = p.timeoutMs % 1000 === 0 ? `${p.timeoutMs / 1000} s` : `${p.timeoutMs} ms`;
  const model = p.model === REQUESTED_MODEL ? 'model as requested' : p.model;
  return `${model}, timeout ${seconds}, ${p.retries} ${p.retries === 1 ? 'retry' : 'retries'}`;
}

export const routeNode = defineNode({
  kind: 'route',
  title: 'Route',
  description: 'Sends the request to a model. An "onError" edge to another Route makes a fallback chain.',
  category: 'terminal',
  color: '#16a34a',
  icon: '→',
  params: RouteParamsSchema,
  outputs: () => [{ id: 'onError', label: 'onError', optional: true, onlyTo: 'route' }],
  summary: (p) => `route: ${describeRoute(p)}`,
  labels: { model: 'Model', timeoutMs: 'Timeout (ms)', backoffMs: 'Backoff (ms)' },
  itemNames: {},
  action: defineAction({
    type: 'route',
    schema: RouteActionSchema,
    describe: (a) => `route to ${a.model}${a.fallbacks.length ? `, then ${a.fallbacks.map((f) => f.model).join(', ')}` : ''}`,
  }),
  fact: null,
  live: 'traffic',
  terminal: (p, node, chain) => ({ type: 'route' as const, node: node.id, ...p, fallbacks: chain.map((c) => ({ node: c.id, ...(c.params as RouteParams) })) }),
  models: (p) => (p.model === REQUESTED_MODEL ? [] : [{ field: 'model', model: p.model }]),
});
