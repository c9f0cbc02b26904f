/**
 * The learned router's online correction, as pure functions of numbers: outcome tallies that
 * decay with time, a Wilson interval over them, and the bounded step that moves a threshold
 * toward the strong model while the cheap branch is confidently worse than the calibration
 * promised, and back while it keeps the promise.
 */

export interface CorrectionSettings {
  /** Outcomes and shifts lose half their weight in this long, so old verdicts fade and a shifted shape gets retried. */
  halfLifeMs: number;
  /** Decayed outcomes a tally needs before it moves anything. */
  minOutcomes: number;
  /** Normal quantile of the Wilson interval (1.96: 95% two-sided). */
  z: number;
  /** Shift added or removed per outcome that finds the tally bad or good, in 0..1. */
  step: number;
  /** The largest shift, in 0..1 (1: every request of that shape and task type goes strong). */
  maxShift: number;
}

export const DEFAULT_CORRECTION: CorrectionSettings = { halfLifeMs: 6 * 3_600_000, minOutcomes: 30, z: 1.96, step: 0.1, maxShift: 1 };

/** Exponentially decayed outcome counts: `weight` outcomes of which `good` were right (scores add fractionally). */
export interface Tally {
  weight: number;
  good: number;
  /** When the counts were last brought up to date (ms since epoch). */
  at: number;
}

export const EMPTY_TALLY: Tally = { weight: 0, good: 0, at: 0 };

/** The factor a quantity keeps after `elapsedMs`; time running backwards (clock skew, replays) decays nothing. */
export function decayFactor(elapsedMs: number, halfLifeMs: number): number {
  return elapsedMs <= 0 ? 1 : Math.pow(0.5, elapsedMs / halfLifeMs);
}

/** The tally as seen at `now`. */
export function decayTally(tally: Tally, now: number, halfLifeMs: number): Tally {
  const k = decayFactor(now - tally.at, halfLifeMs);
  return { weight: tally.weight * k, good: tally.good * k, at: Math.max(now, tally.at) };
}

/** One more outcome with score 0..1 (thumbs-down 0, thumbs-up 1). */
export function addOutcome(tally: Tally, score: number, now: number, halfLifeMs: number): Tally {
  const t = decayTally(tally, now, halfLifeMs);
  const s = Math.min(1, Math.max(0, score));
  return { weight: t.weight + 1, good: t.good + s, at: t.at };
}

/**
 * Takes back an outcome counted at `scoredAt` (a request's feedback replaced by a later one), as
 * much of it as has not decayed yet, so one request counts once however often it is rated.
 */
export function retractOutcome(tally: Tally, outcome: { score: number; scoredAt: number }, now: number, halfLifeMs: number): Tally {
  const t = decayTally(tally, now, halfLifeMs);
  const k = decayFactor(t.at - outcome.scoredAt, halfLifeMs);
  const s = Math.min(1, Math.max(0, outcome.score));
  const weight = Math.max(0, t.weight - k);
  return { weight, good: Math.min(weight, Math.max(0, t.good - k * s)), at: t.at };
}

/** Wilson score interval of the success rate; [0, 1] with no outcomes. */
export function wilsonInterval(good: number, n: number, z: number): { lower: number; upper: number } {
  if (n <= 0) return { lower: 0, upper: 1 };
  const p = Math.min(1, Math.max(0, good / n));
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return { lower: Math.max(0, (centre - margin) / denominator), upper: Math.min(1, (centre + margin) / denominator) };
}

/**
 * The quality the cheap branch must keep: the quality target times the strong branch's observed
 * quality once it has enough outcomes, else times 1 (a thumbs-up rate read as absolute quality).
 */
export function promisedQuality(options: { qualityTarget: number; strong: Tally; settings: CorrectionSettings }): number {
  const { strong, settings } = options;
  const reference = strong.weight >= settings.minOutcomes ? strong.good / strong.weight : 1;
  return (options.qualityTarget / 100) * reference;
}

export type Verdict = 'bad' | 'good' | 'unsure';

/**
 * bad: even the interval's upper end is under the promise; good: the observed rate keeps it;
 * unsure in between or with too few outcomes. The gap between bad and good stops the shift
 * from flapping on every outcome.
 */
export function verdictOf(options: { cheap: Tally; promised: number; settings: CorrectionSettings }): Verdict {
  const { cheap, promised, settings } = options;
  if (cheap.weight < settings.minOutcomes) return 'unsure';
  if (wilsonInterval(cheap.good, cheap.weight, settings.z).upper < promised) return 'bad';
  return cheap.good / cheap.weight >= promised ? 'good' : 'unsure';
}

/** A shift in 0..maxShift and when it was set; it decays like the tallies so a shifted shape is tried cheap again. */
export interface Shift {
  value: number;
  at: number;
}

export const NO_SHIFT: Shift = { value: 0, at: 0 };

export function shiftAt(shift: Shift, now: number, halfLifeMs: number): number {
  return shift.value * decayFactor(now - shift.at, halfLifeMs);
}

/** One bounded step: toward strong on a bad verdict, back toward the calibration on a good one. */
export function nextShift(options: { shift: Shift; verdict: Verdict; now: number; settings: CorrectionSettings }): Shift {
  const { verdict, now, settings } = options;
  const current = shiftAt(options.shift, now, settings.halfLifeMs);
  const value = verdict === 'bad' ? Math.min(settings.maxShift, current + settings.step) : verdict === 'good' ? Math.max(0, current - settings.step) : current;
  return { value, at: Math.max(now, options.shift.at) };
}

/** The lowest router score: a threshold there sends every request strong. */
export const SCORE_FLOOR = -1;

/** The threshold in effect: the calibrated one moved `shift` of the way down to the score floor. */
export function shiftedThreshold(calibrated: number, shift: number): number {
  return calibrated - shift * (calibrated - SCORE_FLOOR);
}
