import { z } from 'zod';
import calibrationJson from './router-calibration.json' with { type: 'json' };

/** Multiple-choice or open: the learned router's calibration keeps a threshold for each. */
export const PROMPT_SHAPES = ['choice', 'open'] as const;
export type PromptShape = (typeof PROMPT_SHAPES)[number];

/** One shape's operating point at one setting, measured on subjects the scoring model never saw. */
export const OperatingPointSchema = z.object({
  /** Requests whose router score is at or above this go to the strong model. */
  threshold: z.number(),
  /** Share of held-out requests of this shape sent to the strong model. */
  premiumShare: z.number().min(0).max(1),
  /** Held-out accuracy over the strong model's accuracy, for this shape. */
  qualityRatio: z.number().min(0),
  /** Held-out prompts of this shape the point was measured on. */
  prompts: z.number().int().min(0),
});
export type OperatingPoint = z.infer<typeof OperatingPointSchema>;

export const CalibrationRowSchema = z.object({
  /** Share of the strong model's accuracy to keep, in percent. */
  qualityTarget: z.number().int().min(0).max(100),
  /** Multiple-choice and open prompts score on different scales, so each has its own threshold. */
  shapes: z.object(Object.fromEntries(PROMPT_SHAPES.map((s) => [s, OperatingPointSchema])) as Record<PromptShape, typeof OperatingPointSchema>),
});
export type CalibrationRow = z.infer<typeof CalibrationRowSchema>;

export const RouterCalibrationSchema = z.object({
  /** The weights file this table was measured for (server/routing/router-weights.json). */
  version: z.string().min(1),
  measuredOn: z.string(),
  rows: z.array(CalibrationRowSchema).min(1),
});
export type RouterCalibration = z.infer<typeof RouterCalibrationSchema>;

export const ROUTER_CALIBRATION: RouterCalibration = RouterCalibrationSchema.parse(calibrationJson);

export const QUALITY_TARGET_MIN = Math.min(...ROUTER_CALIBRATION.rows.map((r) => r.qualityTarget));
export const QUALITY_TARGET_MAX = Math.max(...ROUTER_CALIBRATION.rows.map((r) => r.qualityTarget));

/** The calibrated row for a quality target: the first one that keeps at least that much (a safe round-up). */
export function calibrationFor(qualityTarget: number, table: RouterCalibration = ROUTER_CALIBRATION): CalibrationRow {
  return roundUpRow(table.rows, qualityTarget);
}

/** Of a calibration table's rows, the first whose target is at least `qualityTarget`, else the highest (shared by the answer check's table). */
export function roundUpRow<R extends { qualityTarget: number }>(rows: readonly R[], qualityTarget: number): R {
  const sorted = [...rows].sort((a, b) => a.qualityTarget - b.qualityTarget);
  return sorted.find((r) => r.qualityTarget >= qualityTarget) ?? sorted[sorted.length - 1]!;
}
