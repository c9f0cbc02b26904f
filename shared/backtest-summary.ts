import { z } from 'zod';

/** One side of a backtest, as far as a version's history needs it. */
export const BacktestSideSummarySchema = z.object({
  requests: z.number().int(),
  costMicroUsd: z.number().int(),
  refusals: z.number().int(),
  degradations: z.number().int(),
  cacheHits: z.number().int(),
  quality: z.number().nullable(),
});

/**
 * The backtest a version was published after, kept beside it in the history: the window, how
 * many captured requests were replayed, and what was served against what the draft would do.
 */
export const BacktestSummarySchema = z.object({
  job: z.string(),
  from: z.string(),
  to: z.string(),
  replayed: z.number().int(),
  /** Requests whose decision (rule, model or outcome) changed. */
  changed: z.number().int(),
  baseline: BacktestSideSummarySchema,
  candidate: BacktestSideSummarySchema,
});
export type BacktestSummary = z.infer<typeof BacktestSummarySchema>;
