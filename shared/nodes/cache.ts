import { z } from 'zod';
import { TagKeySchema } from '../facts.js';
import { actionSchema, defineAction, defineNode } from './spec.js';

export const CacheParamsSchema = z.object({
  mode: z.enum(['exact', 'semantic']).default('exact'),
  ttlSeconds: z.number().int('whole seconds').min(1, 'at least 1 second').max(30 * 24 * 3600, 'at most 30 days').default(3600),
  /**
   * Semantic mode: the largest share of cache hits allowed to be wrong answers (0.02: at most 2 in
   * 100). A calibration table turns it into the pair verifier's threshold. Graphs from before it
   * carry a raw `similarity` threshold instead; the schema drops that key, so they load with this
   * default.
   */
  maxWrongHitRate: z.number().min(0.005, 'at least 0.005 (0.5%): stricter is not calibrated').max(0.2, 'at most 0.2 (20%): looser serves too many wrong answers').default(0.02),
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
    `${p.mode}${p.mode === 'semantic' ? ` ≤ ${+(p.maxWrongHitRate * 100).toFixed(1)}% wrong` : ''}, ttl ${formatSeconds(p.ttlSeconds)}${p.scopeTags.length ? `, per ${p.scopeTags.join('+')}` : ''}`,
  labels: { ttlSeconds: 'Time to live (s)', maxWrongHitRate: 'Max wrong hits (share, 0.02 = 2%)', scopeTags: 'Partition by tags' },
  itemNames: {},
  action: defineAction({ type: 'cache', schema: CacheActionSchema, describe: (a) => `cache (${a.mode}, ttl ${a.ttlSeconds} s)` }),
  fact: null,
  live: 'hitRate',
  visibleWhen: { maxWrongHitRate: (p) => p.mode === 'semantic' },
  leave: (p, _handle, node) => ({ conditions: [], actions: [{ type: 'cache' as const, node: node.id, ...p }] }),
});

function formatSeconds(s: number): string {
  if (s % 86400 === 0) return `${s / 86400} d`;
  if (s % 3600 === 0) return `${s / 3600} h`;
  if (s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}
