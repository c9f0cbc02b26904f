import { z } from 'zod';
import { TagKeySchema } from '../facts.js';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const CacheParamsSchema = z.object({
  mode: z.enum(['exact', 'semantic']).default('exact'),
  ttlSeconds: z.number().int('whole seconds').min(1, 'at least 1 second').max(30 * 24 * 3600, 'at most 30 days').default(3600),
  /** Semantic mode: the least similarity (0 to 1) at which a stored answer is served. */
  similarity: z.number().min(0.5, 'at least 0.5: lower serves wrong answers').max(1, 'at most 1 (identical)').default(0.95),
  /** Tag keys that partition the cache, so one team never reads another's answers. */
  scopeTags: z.array(TagKeySchema).default([]),
});

export const CacheActionSchema = actionSchema('cache', CacheParamsSchema);

export const cacheNode = defineNode({
  kind: 'cache',
  title: 'Cache',
  description: 'Answers repeats from the cache before calling a provider, and stores fresh answers after.',
  category: 'step',
  color: '#059669',
  icon: '⚡',
  params: CacheParamsSchema,
  outputs: () => [{ id: 'next', label: 'next' }],
  summary: (p) =>
    `${p.mode}${p.mode === 'semantic' ? ` ≥ ${p.similarity}` : ''}, ttl ${formatSeconds(p.ttlSeconds)}${p.scopeTags.length ? `, per ${p.scopeTags.join('+')}` : ''}`,
  labels: { ttlSeconds: 'Time to live (s)', similarity: 'Similarity (0.5 to 1)', scopeTags: 'Partition by tags' },
  itemNames: {},
  action: defineAction({ type: 'cache', schema: CacheActionSchema, describe: (a) => `cache (${a.mode}, ttl ${a.ttlSeconds} s)` }),
  fact: null,
  visibleWhen: { similarity: (p) => p.mode === 'semantic' },
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'cache' as const, node: node.id, ...p }] }),
});

function formatSeconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
