import { z } from 'zod';
import calibrationJson from './answer-check-calibration.json' with { type: 'json' };
import { roundUpRow } from './router-calibration.js';

/** One setting of the answer check, measured on prompts neither its model nor its threshold saw. */
export const AnswerCheckRowSchema = z.object({
  /** Share of the strong model's accuracy to keep, in percent (the learned router's knob). */
  qualityTarget: z.number().int().min(0).max(100),
  /** A cheap answer whose check score (P(wrong)) is at or above this is asked again of the strong model. */
  threshold: z.number(),
  /** Share of checked requests asked again of the strong model (they pay for both calls). */
  escalatedShare: z.number().min(0).max(1),
  /** Accuracy over the strong model's accuracy, on those prompts. */
  qualityRatio: z.number().min(0),
  prompts: z.number().int().min(0),
});
export type AnswerCheckRow = z.infer<typeof AnswerCheckRowSchema>;

export const AnswerCheckCalibrationSchema = z.object({
  /** The weights file this table was measured for (server/routing/answer-check-weights.json). */
  version: z.string().min(1),
  measuredOn: z.string(),
  rows: z.array(AnswerCheckRowSchema).min(1),
});
export type AnswerCheckCalibration = z.infer<typeof AnswerCheckCalibrationSchema>;

export const ANSWER_CHECK_CALIBRATION: AnswerCheckCalibration = AnswerCheckCalibrationSchema.parse(calibrationJson);

/** The calibrated row for a quality target: the first that keeps at least that much (a safe round-up). */
export function answerCheckCalibrationFor(qualityTarget: number, table: AnswerCheckCalibration = ANSWER_CHECK_CALIBRATION): AnswerCheckRow {
  return roundUpRow(table.rows, qualityTarget);
}
