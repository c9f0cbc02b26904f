import { z } from 'zod';

/* `/api/usage*`: spend reports. Money in the new endpoints is integer micro-dollars (`*Micros`). */

export const UsageGroupSchema = z.object({
  key: z.string(),
  requests: z.number(),
  costUsd: z.number(),
  savedUsd: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheHits: z.number(),
  errors: z.number(),
  feedback: z.number(),
  quality: z.number().nullable(),
  /** The learned router's answer check: cheap answers read, asked again of the strong model, and those cheap calls' cost (in costUsd already). */
  answersChecked: z.number(),
  answersEscalated: z.number(),
  escalatedCheapCostUsd: z.number(),
});

export const UsageResponseSchema = z.object({
  groupBy: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  groups: z.array(UsageGroupSchema),
});
export type UsageResponse = z.infer<typeof UsageResponseSchema>;

export const SERIES_BUCKETS = ['hour', 'day'] as const;
export type SeriesBucket = (typeof SERIES_BUCKETS)[number];

const Dimension = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_:-]*$/, 'a field (model, policy, provider, serviceKey, user, cache, rule, requestedModel) or a tag key');
const Instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/, 'a UTC day like 2026-11-28 or an instant like 2026-11-28T13:00:00Z');
/** `team=search`: only records whose dimension has that value. */
const Filter = z.string().regex(/^[A-Za-z_][A-Za-z0-9_:-]*=.*$/, 'a dimension and a value, like team=search');

export const SeriesQuerySchema = z.object({
  groupBy: Dimension.default('team'),
  bucket: z.enum(SERIES_BUCKETS).default('hour'),
  /** Inclusive; a day means its midnight. */
  from: Instant,
  /** Exclusive; a day means the midnight after it (the whole day is included). */
  to: Instant,
  filter: Filter.optional(),
  /** Series kept by spend; the rest are summed under `(other)`. */
  top: z.coerce.number().int().min(1).max(50).default(8),
});
export type SeriesQuery = z.infer<typeof SeriesQuerySchema>;

export const SeriesPointSchema = z.object({
  /** The bucket's start, ISO 8601 UTC. */
  t: z.string(),
  costMicros: z.number().int(),
  requests: z.number().int(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

export const SeriesResponseSchema = z.object({
  groupBy: z.string(),
  bucket: z.enum(SERIES_BUCKETS),
  from: z.string(),
  to: z.string(),
  /** Every bucket start in [from, to), so charts need not fill gaps. */
  buckets: z.array(z.string()),
  series: z.array(z.object({ key: z.string(), totalMicros: z.number().int(), points: z.array(SeriesPointSchema) })),
  /** Where the answer came from: the hour/day rollups, or a scan of the ledger files. */
  source: z.enum(['rollups', 'ledger']),
});
export type SeriesResponse = z.infer<typeof SeriesResponseSchema>;

export const OverviewQuerySchema = SeriesQuerySchema.pick({ from: true, to: true, filter: true });
export type OverviewQuery = z.infer<typeof OverviewQuerySchema>;

export const RankedSchema = z.object({ key: z.string(), costMicros: z.number().int(), requests: z.number().int() });

export const OverviewResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  requests: z.number().int(),
  costMicros: z.number().int(),
  cacheHits: z.number().int(),
  /** Hits over requests that could have hit (hits and misses; bypassed requests excluded); null with none. */
  cacheHitRate: z.number().nullable(),
  errors: z.number().int(),
  savings: z.object({
    cacheMicros: z.number().int(),
    routingMicros: z.number().int(),
    degradationMicros: z.number().int(),
    /** The ledger keeps the trimmed token counts only, so trimming savings cannot be told from it: always 0 here. */
    trimmingMicros: z.number().int(),
  }),
  /** The learned router's answer check: cheap answers read, asked again of the strong model, and what those discarded cheap calls cost (in costMicros already). */
  answerCheck: z.object({ checked: z.number().int(), escalated: z.number().int(), escalatedCheapMicros: z.number().int() }),
  topKeys: z.array(RankedSchema),
  topUsers: z.array(RankedSchema),
  /** Per rule (the route a request took): requests, spend and the mean feedback score (null with none). */
  routes: z.array(z.object({ key: z.string(), requests: z.number().int(), costMicros: z.number().int(), feedback: z.number().int(), quality: z.number().nullable() })),
  /** Values of each tag seen in the range, for the filter menu. */
  tags: z.record(z.string(), z.array(z.string())),
  source: z.enum(['rollups', 'ledger']),
});
export type OverviewResponse = z.infer<typeof OverviewResponseSchema>;

export const BudgetBurnSchema = z.object({
  /** A scope key: `global`, `serviceKey=<id>`, `user=<id>` or `tag:<key>=<value>`. */
  scope: z.string(),
  window: z.enum(['day', 'week', 'month']),
  limitMicros: z.number().int(),
  spentMicros: z.number().int(),
  windowStart: z.string(),
  windowEnd: z.string(),
  /** Spend per hour since the window began, up to the current hour (for the forecast). */
  hourlyMicros: z.array(z.number().int()),
  /** The policies whose budget nodes set this limit, or `override`. */
  source: z.array(z.string()),
});
export type BudgetBurn = z.infer<typeof BudgetBurnSchema>;

export const BudgetBurnResponseSchema = z.object({ now: z.string(), budgets: z.array(BudgetBurnSchema) });
export type BudgetBurnResponse = z.infer<typeof BudgetBurnResponseSchema>;

export const MICROS_PER_USD = 1_000_000;

export function usdToMicros(usd: number): number {
  return Math.round(usd * MICROS_PER_USD);
}
