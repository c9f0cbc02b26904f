import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addOutcome,
  DEFAULT_CORRECTION,
  decayTally,
  EMPTY_TALLY,
  NO_SHIFT,
  nextShift,
  promisedQuality,
  retractOutcome,
  SCORE_FLOOR,
  shiftAt,
  shiftedThreshold,
  type Tally,
  verdictOf,
  wilsonInterval,
} from '../../server/routing/online-correction.js';

const S = DEFAULT_CORRECTION;
const H = S.halfLifeMs;

function tallyOf(scores: number[], at = 1_000): Tally {
  return scores.reduce((t, s) => addOutcome(t, s, at, H), EMPTY_TALLY);
}

describe('decayed tallies', () => {
  it('halve after one half-life and never grow with time', () => {
    const t = tallyOf([1, 1, 0, 1]);
    const later = decayTally(t, t.at + H, H);
    expect(later.weight).toBeCloseTo(2, 9);
    expect(later.good).toBeCloseTo(1.5, 9);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 50 }), fc.integer({ min: -H, max: 10 * H }), (scores, dt) => {
        const tally = tallyOf(scores);
        const seen = decayTally(tally, tally.at + dt, H);
        expect(seen.weight).toBeLessThanOrEqual(tally.weight + 1e-9);
        expect(seen.good).toBeLessThanOrEqual(seen.weight + 1e-9);
        expect(seen.good).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('count each outcome once at the same instant, scores clamped to 0..1', () => {
    const t = tallyOf([1, 0, 0.5, 7, -3]);
    expect(t.weight).toBe(5);
    expect(t.good).toBe(2.5);
  });
});

describe('retracting an outcome', () => {
  it('undoes adding it, at once or after any delay, and never goes negative', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 5 * H }), (scores, s, dt) => {
        const base = tallyOf(scores);
        const added = addOutcome(base, s, base.at, H);
        const back = retractOutcome(added, { score: s, scoredAt: base.at }, base.at + dt, H);
        const expected = decayTally(base, base.at + dt, H);
        expect(back.weight).toBeCloseTo(expected.weight, 9);
        expect(back.good).toBeCloseTo(expected.good, 9);
        expect(retractOutcome(EMPTY_TALLY, { score: s, scoredAt: 0 }, dt, H)).toMatchObject({ weight: 0, good: 0 });
      }),
    );
  });
});

describe('the Wilson interval', () => {
  it('matches the textbook value and holds the observed rate inside it', () => {
    const { lower, upper } = wilsonInterval(27, 30, 1.96);
    expect(lower).toBeCloseTo(0.7438, 3);
    expect(upper).toBeCloseTo(0.9654, 3);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const good = p * n;
        const i = wilsonInterval(good, n, 1.96);
        expect(i.lower).toBeGreaterThanOrEqual(0);
        expect(i.upper).toBeLessThanOrEqual(1);
        expect(i.lower).toBeLessThanOrEqual(p + 1e-9);
        expect(i.upper).toBeGreaterThanOrEqual(p - 1e-9);
      }),
    );
  });

  it('narrows as outcomes accumulate', () => {
    const small = wilsonInterval(8, 10, 1.96);
    const large = wilsonInterval(800, 1000, 1.96);
    expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
  });
});

describe('the verdict on the cheap branch', () => {
  it('says nothing under the minimum of outcomes, however bad', () => {
    expect(verdictOf({ cheap: tallyOf(Array(29).fill(0)), promised: 0.95, settings: S })).toBe('unsure');
    expect(verdictOf({ cheap: tallyOf(Array(30).fill(0)), promised: 0.95, settings: S })).toBe('bad');
  });

  it('is good when the observed quality keeps the promise, unsure in the margin', () => {
    expect(verdictOf({ cheap: tallyOf(Array(40).fill(1)), promised: 0.95, settings: S })).toBe('good');
    // 36 of 40 right (0.9): under 0.95, but the interval still reaches it.
    expect(verdictOf({ cheap: tallyOf([...Array(36).fill(1), ...Array(4).fill(0)]), promised: 0.95, settings: S })).toBe('unsure');
  });

  it('promises the quality target of the strong branch once it has enough outcomes', () => {
    expect(promisedQuality({ qualityTarget: 90, strong: EMPTY_TALLY, settings: S })).toBeCloseTo(0.9, 9);
    expect(promisedQuality({ qualityTarget: 90, strong: tallyOf([...Array(24).fill(1), ...Array(16).fill(0)]), settings: S })).toBeCloseTo(0.54, 9);
  });
});

describe('the threshold shift', () => {
  it('steps toward strong on bad verdicts, back on good ones, and stays in 0..maxShift', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('bad', 'good', 'unsure' as const), { maxLength: 60 }), (verdicts) => {
        let shift = NO_SHIFT;
        for (const verdict of verdicts) {
          const before = shiftAt(shift, 1_000, H);
          shift = nextShift({ shift, verdict, now: 1_000, settings: S });
          expect(shift.value).toBeGreaterThanOrEqual(0);
          expect(shift.value).toBeLessThanOrEqual(S.maxShift);
          expect(Math.abs(shift.value - before)).toBeLessThanOrEqual(S.step + 1e-12);
          if (verdict === 'bad') expect(shift.value).toBeGreaterThanOrEqual(before);
          if (verdict === 'good') expect(shift.value).toBeLessThanOrEqual(before);
        }
      }),
    );
  });

  it('fades with time, so a shifted shape is tried cheap again', () => {
    const shift = { value: 0.8, at: 0 };
    expect(shiftAt(shift, H, H)).toBeCloseTo(0.4, 9);
    expect(shiftAt(shift, 20 * H, H)).toBeLessThan(1e-5);
  });

  it('moves the threshold from the calibrated one (no shift) down to the score floor (full shift), monotonically', () => {
    expect(shiftedThreshold(0.2, 0)).toBe(0.2);
    expect(shiftedThreshold(0.2, 1)).toBe(SCORE_FLOOR);
    expect(shiftedThreshold(2, 1)).toBe(SCORE_FLOOR);
    fc.assert(
      fc.property(fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (t, a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        expect(shiftedThreshold(t, hi)).toBeLessThanOrEqual(shiftedThreshold(t, lo) + 1e-12);
      }),
    );
  });
});
