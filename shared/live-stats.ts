import { z } from 'zod';

/** One scope a budget node counted today: what it has used of its limit (an override's, if set) in the node's window. */
export const BudgetLiveSchema = z.object({
  /** The scope key, e.g. `tag:team=research`, `global`. */
  key: z.string(),
  usedUsd: z.number().min(0),
  limitUsd: z.number().min(0),
});
export type BudgetLive = z.infer<typeof BudgetLiveSchema>;

/** Today's traffic through one node of the live policy (UTC day), from the ledger. */
export const NodeLiveSchema = z.object({
  requests: z.number().int().min(0),
  costUsd: z.number().min(0),
  /** Requests the response cache looked up (not bypassed) and of those, the hits. */
  cacheLookups: z.number().int().min(0),
  cacheHits: z.number().int().min(0),
  /** Budget nodes: the scopes seen today, most used first (at most BUDGET_SCOPES_SHOWN). */
  budgets: z.array(BudgetLiveSchema),
  /** How many scopes were seen in all, the ones left out of `budgets` included. */
  scopesSeen: z.number().int().min(0),
});
export type NodeLive = z.infer<typeof NodeLiveSchema>;

/** GET /api/policies/:id/live-stats: per-node figures of the published version, for the canvas. */
export const LiveStatsResponseSchema = z.object({
  policy: z.string(),
  /** The live version the node ids were read from. */
  version: z.number().int(),
  /** The UTC day counted, e.g. 2026-12-03. */
  day: z.string(),
  nodes: z.record(z.string(), NodeLiveSchema),
});
export type LiveStatsResponse = z.infer<typeof LiveStatsResponseSchema>;

export const BUDGET_SCOPES_SHOWN = 5;
