import { z } from 'zod';
import { RuleTraceSchema } from './api.js';
import type { BacktestSummary } from './backtest-summary.js';
import { GraphSchema } from './graph.js';

/**
 * `POST /api/policies/:id/backtest`: replay the captured requests of [from, to) through a
 * candidate policy. The candidate is `graph` (a draft from the editor), else published `version`,
 * else the saved draft, else the live version.
 */
export const BacktestRequestSchema = z
  .object({
    graph: GraphSchema.optional(),
    version: z.number().int().min(1, 'a published version number (1 or more)').optional(),
    from: z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2025-06-01T00:00:00Z' }),
    to: z.iso.datetime({ message: 'an ISO 8601 UTC time, e.g. 2025-06-08T00:00:00Z' }),
    /** Fraction of captured requests replayed, chosen by request id so reruns pick the same ones. */
    sample: z.number().gt(0, 'a fraction above 0').max(1, 'a fraction of at most 1').optional(),
  })
  .superRefine((body, ctx) => {
    if (Date.parse(body.to) <= Date.parse(body.from)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    if (body.graph && body.version !== undefined) ctx.addIssue({ code: 'custom', path: ['version'], message: 'give either graph or version, not both' });
  });
export type BacktestRequest = z.infer<typeof BacktestRequestSchema>;

/** What one side (served or candidate) did with a set of requests. */
export const BacktestTotalsSchema = z.object({
  requests: z.number().int(),
  costUsd: z.number(),
  /** The same cost in integer micro-dollars, rounded once from the exact sum. */
  costMicroUsd: z.number().int(),
  /** Blocked or rejected by the policy (no answer). */
  refusals: z.number().int(),
  /** Ended in a degrade node (cheaper model, cache only or reject). */
  degradations: z.number().int(),
  cacheHits: z.number().int(),
  /** Mean feedback score (0 to 1) over the requests with one, recorded or estimated; null when none. */
  quality: z.number().nullable(),
  /** How many requests the quality is averaged over. */
  qualityScored: z.number().int(),
});
export type BacktestTotals = z.infer<typeof BacktestTotalsSchema>;

export const BacktestGroupSchema = z.object({ key: z.string(), baseline: BacktestTotalsSchema, candidate: BacktestTotalsSchema });
export type BacktestGroup = z.infer<typeof BacktestGroupSchema>;

export const BacktestOutcomeSchema = z.enum(['served', 'cacheHit', 'refused', 'failed']);
export type BacktestOutcome = z.infer<typeof BacktestOutcomeSchema>;

/** One side of a changed request: enough for the editor to light the path and show the trace. */
export const BacktestDecisionSchema = z.object({
  rule: z.string().nullable(),
  model: z.string().nullable(),
  costUsd: z.number(),
  outcome: BacktestOutcomeSchema,
  path: z.array(z.string()),
  edges: z.array(z.string()),
  /** Every rule in priority order with each condition's value; empty when the rule file is no longer known. */
  trace: z.array(RuleTraceSchema),
});
export type BacktestDecision = z.infer<typeof BacktestDecisionSchema>;

export const ChangedRequestSchema = z.object({
  id: z.string(),
  time: z.string(),
  tags: z.record(z.string(), z.string()),
  costDeltaUsd: z.number(),
  baseline: BacktestDecisionSchema,
  candidate: BacktestDecisionSchema,
});
export type ChangedRequest = z.infer<typeof ChangedRequestSchema>;

export const BacktestResultSchema = z.object({
  policy: z.string(),
  candidateVersion: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** Captured requests in the window (after sampling); those without a ledger record are not replayed. */
  captured: z.number().int(),
  replayed: z.number().int(),
  baseline: BacktestTotalsSchema,
  candidate: BacktestTotalsSchema,
  /** By the `team` tag ('' for untagged). */
  byTeam: z.array(BacktestGroupSchema),
  /** By the model that served (or would serve); '' for no model (refused, failed). */
  byModel: z.array(BacktestGroupSchema),
  byRule: z.array(BacktestGroupSchema),
  /** The 20 requests whose decision changed most, by absolute cost delta. */
  changed: z.array(ChangedRequestSchema),
  /** Every request whose rule, model or outcome changed (`changed` lists the 20 largest). */
  changedTotal: z.number().int(),
  /** What the figures assume, in words, for the editor to show beside them. */
  assumptions: z.array(z.string()),
});
export type BacktestResult = z.infer<typeof BacktestResultSchema>;

export const BacktestJobSchema = z.object({
  job: z.string(),
  policy: z.string(),
  status: z.enum(['running', 'done', 'failed']),
  progress: z.object({ done: z.number().int(), total: z.number().int() }),
  result: BacktestResultSchema.optional(),
  error: z.string().optional(),
});
export type BacktestJob = z.infer<typeof BacktestJobSchema>;

/** The part of a finished backtest a published version keeps (see BacktestSummarySchema). */
export function summarizeBacktest(job: string, result: BacktestResult): BacktestSummary {
  const side = (t: BacktestTotals) => ({
    requests: t.requests,
    costMicroUsd: t.costMicroUsd,
    refusals: t.refusals,
    degradations: t.degradations,
    cacheHits: t.cacheHits,
    quality: t.quality,
  });
  return { job, from: result.from, to: result.to, replayed: result.replayed, changed: result.changedTotal, baseline: side(result.baseline), candidate: side(result.candidate) };
}
