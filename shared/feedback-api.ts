import { z } from 'zod';
import { requestIdOf } from './answer-ids.js';

/**
 * `POST /v1/feedback`: how good an answer was, for the request named by its `x-tollgate-request-id`
 * (or, for a Responses API or Messages API answer, its `resp_…` or `msg_…` id).
 * Either a score in [0, 1] or thumbs (up = 1, down = 0); a later feedback on the same request wins.
 */
export const FeedbackRequestSchema = z
  .object({
    /** A Responses or Messages API answer may be named by its id (`resp_…`, `msg_…`) too. */
    requestId: z.string().min(1, 'the x-tollgate-request-id of the answer').max(100).transform(requestIdOf),
    score: z.number().min(0, 'a score from 0 to 1').max(1, 'a score from 0 to 1').optional(),
    thumbs: z.enum(['up', 'down']).optional(),
    /** A short reason, kept with the score ("wrong answer", "too long"...). */
    label: z.string().max(200, 'at most 200 characters').optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.score === undefined) === (body.thumbs === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['score'], message: 'give either score (0 to 1) or thumbs ("up" or "down")' });
    }
  });
export type FeedbackRequest = z.infer<typeof FeedbackRequestSchema>;

export const FeedbackResponseSchema = z.object({ requestId: z.string(), score: z.number(), recorded: z.literal(true) });
export type FeedbackResponse = z.infer<typeof FeedbackResponseSchema>;

/** The score a feedback body stands for. */
export function feedbackScore(body: FeedbackRequest): number {
  return body.score ?? (body.thumbs === 'up' ? 1 : 0);
}
