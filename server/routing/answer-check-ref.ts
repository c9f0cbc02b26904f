import { z } from 'zod';

/**
 * What the answer check said of a cheap answer, kept in the request's ledger record: whether it
 * was asked again of the strong model and, if so, what the cheap call cost (the record's tokens
 * and model are the strong answer's; its cost is both calls').
 */
export const AnswerCheckRefSchema = z.object({
  /** The smartRoute node whose cheap branch asked for the check. */
  node: z.string(),
  /**
   * `maths`: the learned answer check scored a worked answer (records from before the format
   * check have no field); `format`: the answer broke the JSON or tool-call format the request
   * asked for (score 1, threshold 1).
   */
  check: z.enum(['maths', 'format']).optional(),
  /** The answer-check weights that scored (`format-1` for the format check). */
  version: z.string(),
  score: z.number(),
  /** The threshold in effect. */
  threshold: z.number(),
  /** Set when feedback moved the threshold: the calibrated one it moved from. */
  calibratedThreshold: z.number().optional(),
  escalated: z.boolean(),
  /** The features that pushed the score up most (e.g. a wrong arithmetic step). */
  reasons: z.array(z.string()),
  /** The cheap call an escalated request paid for too. */
  cheap: z.object({ model: z.string(), inputTokens: z.number(), outputTokens: z.number(), costMicros: z.number().int().min(0) }).optional(),
  /** Set when the check failed but the cheap answer was served after all: why (the strong path refused or failed). */
  kept: z.string().optional(),
});
export type AnswerCheckRef = z.infer<typeof AnswerCheckRefSchema>;
