import { z } from 'zod';
import { usdToMicros } from '../../shared/cost.js';
import { AnswerCheckRefSchema } from '../routing/answer-check-ref.js';
import { RouterRefSchema } from '../routing/router-ref.js';

/** One request as booked in the usage ledger: one JSON line per request. */
export const LedgerRecordSchema = z.object({
  id: z.string(),
  /** ISO 8601, UTC; its date names the file the record lives in. */
  time: z.string(),
  policy: z.string(),
  policyVersion: z.number(),
  rule: z.string().nullable(),
  requestedModel: z.string(),
  servedModel: z.string().nullable(),
  provider: z.string().nullable(),
  tags: z.record(z.string(), z.string()),
  serviceKey: z.string(),
  user: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  /** Prompt tokens written to the provider's prompt cache; records from before it was booked read as 0. */
  cacheWriteTokens: z.number().default(0),
  costUsd: z.number(),
  /** The cost in integer micro-dollars; records written before it existed are read through costMicrosOf. */
  costMicros: z.number().int().min(0).optional(),
  /** What a cache hit or a cheaper route saved against the model asked for; 0 when none, negative when an escalated answer check paid for two calls. */
  savedUsd: z.number(),
  /** What the provider's prompt cache saved (negative when writes outweighed reads); apart from savedUsd. */
  promptCacheSavedUsd: z.number().default(0),
  /** Answered through a provider's batch API: what the batch discount saved against the synchronous price; apart from savedUsd. */
  batchSavedUsd: z.number().optional(),
  /** The provider's batch id, for records of the batch lane. */
  batchId: z.string().optional(),
  cache: z.enum(['hit', 'miss', 'bypass']),
  latencyMs: z.number(),
  status: z.number().int(),
  stream: z.boolean(),
  /** Provider attempts, retries and fallbacks included; 0 for cache hits and refusals. */
  attempts: z.number().int(),
  error: z.string().optional(),
  /** Set when a learned router decided: its branch and score, for learning from feedback. */
  router: RouterRefSchema.optional(),
  /** Set when a learned router checked the cheap answer: the verdict, and the cheap call's cost when it was asked again. */
  answerCheck: AnswerCheckRefSchema.optional(),
});
export type LedgerRecord = z.infer<typeof LedgerRecordSchema>;

/** A record's cost in integer micro-dollars; an old record without `costMicros` rounds its `costUsd`. */
export function costMicrosOf(record: LedgerRecord): number {
  return record.costMicros ?? usdToMicros(record.costUsd);
}
