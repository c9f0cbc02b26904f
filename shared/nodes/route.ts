import { z } from 'zod';
import { RouteProviderSchema } from '../providers.js';
import { defineNode } from './spec.js';

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
  outputs: () => [{ id: 'onError', label: 'onError', optional: true }],
  summary: (p) => `route: ${describeRoute(p)}`,
  terminal: (p, node) => ({ type: 'route', node: node.id, ...p, fallbacks: [] }),
  models: (p) => (p.model === REQUESTED_MODEL ? [] : [{ field: 'model', model: p.model }]),
});
