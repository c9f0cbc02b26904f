import { z } from 'zod';
import { TASK_TYPES } from './facts.js';
import { PROMPT_SHAPES } from './routing/router-calibration.js';

/** The learned router's online correction for one operating point, prompt shape and task type. */
export const RouterAdjustmentSchema = z.object({
  /** Weights version and calibrated thresholds: nodes compiled to the same point share a correction. */
  point: z.string(),
  shape: z.enum(PROMPT_SHAPES),
  taskType: z.enum(TASK_TYPES),
  /** Of the node that last fed this point; null before any feedback. */
  qualityTarget: z.number().nullable(),
  /** Decayed feedback on requests sent cheap: count, mean score and its Wilson interval. */
  cheap: z.object({ outcomes: z.number(), quality: z.number().nullable(), lower: z.number(), upper: z.number() }),
  strong: z.object({ outcomes: z.number(), quality: z.number().nullable() }),
  /** The quality the cheap branch must keep: quality target × the strong branch's observed quality (or 1 before it has enough). */
  promised: z.number().nullable(),
  /** 0: the calibrated threshold; 1: every such request goes strong. */
  shift: z.number(),
  calibratedThreshold: z.number().nullable(),
  /** The threshold in effect. */
  threshold: z.number().nullable(),
  /**
   * For a router that checks answers, its open maths questions: the shift lowers the answer
   * check's threshold instead, and past the strong model's own row of the check's calibration
   * those prompts go straight to the strong model (`straightToStrong`) until the shift fades.
   */
  answerCheck: z.object({ calibratedThreshold: z.number(), threshold: z.number(), straightToStrong: z.boolean() }).optional(),
});
export type RouterAdjustment = z.infer<typeof RouterAdjustmentSchema>;

/** GET /api/router/state. */
export const RouterStateResponseSchema = z.object({
  settings: z.object({ halfLifeMs: z.number(), minOutcomes: z.number(), z: z.number(), step: z.number(), maxShift: z.number() }),
  points: z.number().int(),
  maxPoints: z.number().int(),
  adjustments: z.array(RouterAdjustmentSchema),
});
export type RouterStateResponse = z.infer<typeof RouterStateResponseSchema>;
