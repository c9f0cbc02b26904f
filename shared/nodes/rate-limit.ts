import { z } from 'zod';
import { describeScope, scopeOwner, ScopeSchema } from './scope.js';
import { actionSchema, defineAction, defineFact, defineNode } from './spec.js';
import { WhenRedisDownSchema } from './when-redis-down.js';

export const RateLimitParamsSchema = z.object({
  scope: ScopeSchema.default('serviceKey'),
  rpm: z.number().int().min(1, 'at least 1 request a minute').max(1_000_000).default(60),
  /** Tokens a minute; 0 means requests alone are limited. */
  tpm: z.number().int().min(0).max(1_000_000_000).default(0),
  /** While Redis is away (several instances): admit or refuse. Unset: TOLLGATE_RATE_LIMIT_FAIL_MODE (open). No default, so compiled output of existing graphs is unchanged. */
  whenRedisDown: WhenRedisDownSchema.optional(),
});

/** The `rateLimited` fact and the `countRate` action both carry the limit itself. */
export const RateFactParamsSchema = RateLimitParamsSchema;
export type RateFactParams = z.output<typeof RateFactParamsSchema>;
export const CountRateActionSchema = actionSchema('countRate', RateLimitParamsSchema);

export const rateLimitNode = defineNode({
  kind: 'rateLimit',
  title: 'Rate limit',
  description: 'Counts requests (and tokens) a minute per scope: "ok" within the limit (and counted), "limited" beyond it.',
  category: 'branch',
  color: '#dc2626',
  icon: '◷',
  params: RateLimitParamsSchema,
  outputs: () => [
    { id: 'ok', label: 'ok' },
    { id: 'limited', label: 'limited' },
  ],
  summary: (p) => `${p.rpm} rpm${p.tpm ? `, ${p.tpm} tpm` : ''} ${describeScope(p.scope)}`,
  labels: { rpm: 'Requests per minute', tpm: 'Tokens per minute (0: off)', whenRedisDown: 'When Redis is down' },
  explain: (p) => {
    const who = scopeOwner(p.scope);
    return `${who[0]!.toUpperCase()}${who.slice(1)} limit of ${p.rpm} requests${p.tpm ? ` and ${p.tpm} tokens` : ''} a minute; beyond it requests take “limited”.`;
  },
  itemNames: {},
  action: defineAction({ type: 'countRate', schema: CountRateActionSchema, describe: (a) => `count rate (${a.rpm} rpm)` }),
  fact: defineFact({ name: 'rateLimited', params: RateFactParamsSchema, value: z.boolean() }),
  leave: (p, handle, node) => {
    const params = { scope: p.scope, rpm: p.rpm, tpm: p.tpm, ...(p.whenRedisDown ? { whenRedisDown: p.whenRedisDown } : {}) };
    const limited = handle === 'limited';
    return {
      conditions: [{ fact: 'rateLimited', operator: 'equal', value: limited, params }],
      actions: limited ? [] : [{ type: 'countRate' as const, node: node.id, ...params }],
    };
  },
});
