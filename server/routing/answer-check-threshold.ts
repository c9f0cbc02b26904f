import { ANSWER_CHECK_CALIBRATION, answerCheckCalibrationFor, type AnswerCheckCalibration } from '../../shared/routing/answer-check-calibration.js';

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * The check's threshold after feedback found passed cheap answers worse than promised: moved
 * `shift` of the way down to 0, where every cheap answer is asked again (a score is never below 0).
 */
export function checkThresholdAt(calibrated: number, shift: number): number {
  return round6(calibrated * (1 - Math.min(1, Math.max(0, shift))));
}

/**
 * The threshold at which the calibration measured the strong model's own quality (its highest
 * row): a check that strict asks the strong model again for nearly every answer (that row's
 * escalatedShare, 93% for the shipped table).
 */
export function allStrongCheckThreshold(table: AnswerCheckCalibration = ANSWER_CHECK_CALIBRATION): number {
  return answerCheckCalibrationFor(100, table).threshold;
}

/**
 * Whether feedback has moved a checked cell so far that trying the cheap model first is moot:
 * the shifted threshold is at or under `allStrongCheckThreshold`, so nearly every cheap answer
 * would be paid for and then asked again. The router then sends those prompts straight to the
 * strong model until the shift fades (it decays like any router shift), and tries cheap again.
 */
export function cheapFirstIsMoot(qualityTarget: number, shift: number, table: AnswerCheckCalibration = ANSWER_CHECK_CALIBRATION): boolean {
  if (shift <= 0) return false;
  return checkThresholdAt(answerCheckCalibrationFor(qualityTarget, table).threshold, shift) <= allStrongCheckThreshold(table);
}
