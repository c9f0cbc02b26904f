import { z } from 'zod';
import { TASK_TYPES } from '../../shared/facts.js';
import type { RouterFactParams } from '../../shared/nodes/smart-route.js';
import { PROMPT_SHAPES } from '../../shared/routing/router-calibration.js';

/**
 * What the learned router decided for one request, kept in its ledger record and copied into
 * feedback on it, so the online correction learns from feedback (and rebuilds from the
 * feedback files at start) without reading the ledger again.
 */
export const RouterRefSchema = z.object({
  /** The smartRoute node that decided. */
  node: z.string(),
  /** The operating point (weights version and calibrated thresholds) the node compiled to; see pointKey. */
  point: z.string(),
  qualityTarget: z.number(),
  branch: z.enum(['cheap', 'strong']),
  shape: z.enum(PROMPT_SHAPES),
  taskType: z.enum(TASK_TYPES),
  /** The router's score for the prompt (before any threshold). */
  score: z.number(),
});
export type RouterRef = z.infer<typeof RouterRefSchema>;

/** The end of the point key of a router that checks answers. */
export const CHECKED_SUFFIX = ':checked';

/**
 * Nodes that compile to the same operating point share a correction: the routerScore fact's
 * params carry the point and not the node, and they stay as they are so compiled rule files
 * do not change.
 */
export function pointKey(params: RouterFactParams): string {
  // A router that checks answers sends open questions cheap on another basis: its outcomes must not move a plain router's correction.
  return `${params.version}:${PROMPT_SHAPES.map((s) => params.thresholds[s]).join(',')}${params.checkOpenAnswers ? CHECKED_SUFFIX : ''}`;
}
