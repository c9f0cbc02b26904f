import { z } from 'zod';
import { ChatCompletionRequestSchema } from '../../shared/api.js';

/**
 * One captured request: what a backtest needs to decide it again. Its id is the ledger
 * record's, which holds what was served and what it cost. Stored redacted.
 */
export const CapturedRequestSchema = z.object({
  id: z.string(),
  /** The ledger record's time. */
  time: z.string(),
  /** When the request's facts were derived (hour, weekday): its arrival. */
  factsTime: z.string(),
  policy: z.string(),
  request: ChatCompletionRequestSchema,
  /** What the caller said outside the body: attribution ids already in the ledger, not secrets. */
  caller: z.object({ tags: z.record(z.string(), z.string()), serviceKey: z.string(), user: z.string(), tier: z.string() }),
});
export type CapturedRequest = z.infer<typeof CapturedRequestSchema>;
