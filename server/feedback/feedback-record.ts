import { z } from 'zod';
import { RouterRefSchema } from '../routing/router-ref.js';

/** One feedback as booked next to the usage ledger: `<ledger>/feedback-YYYY-MM-DD.jsonl`, one JSON line each. */
export const FeedbackRecordSchema = z.object({
  requestId: z.string(),
  /** When the feedback arrived (ISO 8601, UTC). */
  time: z.string(),
  score: z.number().min(0).max(1),
  label: z.string().optional(),
  /** Copied from the request's ledger record, so learners need not look it up. */
  policy: z.string(),
  rule: z.string().nullable(),
  servedModel: z.string().nullable(),
  cache: z.enum(['hit', 'miss', 'bypass']),
  /** The learned router's branch and score for the request, when one decided it. */
  router: RouterRefSchema.optional(),
});
export type FeedbackRecord = z.infer<typeof FeedbackRecordSchema>;
