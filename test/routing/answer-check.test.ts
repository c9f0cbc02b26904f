import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ANSWER_CHECK_CALIBRATION, answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { ANSWER_CHECK_FEATURES, answerCheckFeatures, finalNumber } from '../../server/routing/answer-check-features.js';
import { ANSWER_CHECK_WEIGHTS, answerCheckScore, judgeAnswer } from '../../server/routing/answer-check-model.js';
import { checkArithmetic, evaluateArithmetic } from '../../server/routing/arithmetic-check.js';
import { allStrongCheckThreshold, checkThresholdAt, cheapFirstIsMoot } from '../../server/routing/answer-check-threshold.js';

const feature = (prompt: string, answer: string, name: (typeof ANSWER_CHECK_FEATURES)[number]) => answerCheckFeatures(prompt, answer)[ANSWER_CHECK_FEATURES.indexOf(name)];

describe('re-doing the sums in an answer', () => {
  it('evaluates + - * / with precedence, parentheses, money, digit grouping and percent', () => {
    expect(evaluateArithmetic('2 + 3 * 4')).toBe(14);
    expect(evaluateArithmetic('(2 + 3) * 4')).toBe(20);
    expect(evaluateArithmetic('$1,200 / 4')).toBe(300);
    expect(evaluateArithmetic('3 x 4 − 2')).toBe(10);
    expect(evaluateArithmetic('20% * 50')).toBe(10);
    expect(evaluateArithmetic('-3 + 5')).toBe(2);
  });

  it('refuses anything that is not arithmetic rather than guessing (no eval)', () => {
    for (const text of ['process.exit()', '2 +', '(1 + 2', '4 / 0', 'abc', '', '1 2']) expect(evaluateArithmetic(text)).toBeNull();
  });

  it('agrees with JavaScript on any sum of products of small integers', () => {
    const term = fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 99 }));
    fc.assert(
      fc.property(fc.array(term, { minLength: 1, maxLength: 6 }), (terms) => {
        const text = terms.map(([a, b]) => `${a} * ${b}`).join(' + ');
        expect(evaluateArithmetic(text)).toBe(terms.reduce((s, [a, b]) => s + a * b, 0));
      }),
    );
  });

  // The annotation and the prose around it are two statements of one sum: both are checked.
  it('counts wrong sums in prose and in calculator annotations, and forgives rounding', () => {
    expect(checkArithmetic('She has 16 - 3 = 13 eggs, then 13 - 4 = 9.\n9 * $2 = $<<9*2=18>>18')).toMatchObject({ wrong: 0, checked: 4, lastResult: 18 });
    expect(checkArithmetic('So 12 * 3 = 38 pens.')).toMatchObject({ wrong: 1, checked: 1 });
    expect(checkArithmetic('<<7*6=48>>48 wheels').wrong).toBe(1);
    expect(checkArithmetic('Each gets 7 / 3 = 2.33 pies.').wrong).toBe(0);
  });

  it('reads markdown-escaped operators, chained equations and a percent written either way', () => {
    expect(checkArithmetic('16 \\* 3/4 = 12 bags').wrong).toBe(0);
    expect(checkArithmetic('2 + 1/2 = 5/2 = 2.5 bolts').wrong).toBe(0);
    expect(checkArithmetic('($100 / $1000) * 100 = 10%').wrong).toBe(0);
    expect(checkArithmetic('0.1 * 100 = 10% of its length').wrong).toBe(0);
  });
});

describe('what the answer check reads', () => {
  const prompt = 'Tom has 3 boxes of 12 pens. He gives away 5 pens. How many pens does he have left?';

  it('takes the "####" line as the result, else the closing number', () => {
    expect(finalNumber('3 * 12 = 36\n36 - 5 = 31\n#### 31')).toEqual({ value: 31, marked: true });
    expect(finalNumber('He has 31 pens left.')).toEqual({ value: 31, marked: false });
    expect(finalNumber('No idea.')).toEqual({ value: null, marked: false });
  });

  it('flags a missing result line, a fractional result and a quantity of the problem the working never used', () => {
    expect(feature(prompt, 'He has 36 pens.', 'noFinalAnswer')).toBe(1);
    expect(feature(prompt, '#### 31.5', 'finalNotInteger')).toBe(1);
    expect(feature(prompt, '3 * 12 = 36\n#### 36', 'promptNumbersUnused')).toBeCloseTo(1 / 3, 9);
    expect(feature(prompt, '3 * 12 = 36\n36 - 5 = 31\n#### 31', 'promptNumbersUnused')).toBe(0);
  });

  it('gives the same features for the same text every time, each about 0..1', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 300 }), (p, a) => {
        const x = answerCheckFeatures(p, a);
        expect(x).toHaveLength(ANSWER_CHECK_FEATURES.length);
        expect(answerCheckFeatures(p, a)).toEqual(x);
        for (const v of x) expect(v).toBeGreaterThanOrEqual(0);
        for (const v of x) expect(v).toBeLessThanOrEqual(1.5);
      }),
    );
  });
});

describe('the shipped answer check', () => {
  it('scores the training script’s fixed answers as the training script did', () => {
    expect(ANSWER_CHECK_WEIGHTS.checks.length).toBeGreaterThanOrEqual(2);
    for (const c of ANSWER_CHECK_WEIGHTS.checks) expect(answerCheckScore(ANSWER_CHECK_WEIGHTS, c.prompt, c.answer)).toBeCloseTo(c.score, 5);
  });

  it('scores a worked answer with a wrong sum and no result line above the same answer done right', () => {
    const [right, wrong] = ANSWER_CHECK_WEIGHTS.checks;
    expect(wrong!.score).toBeGreaterThan(right!.score);
    expect(answerCheckCalibrationFor(95).threshold).toBeGreaterThan(right!.score);
    expect(answerCheckCalibrationFor(95).threshold).toBeLessThanOrEqual(wrong!.score);
  });

  it('says why: the features that pushed the score up come first', () => {
    const [, wrong] = ANSWER_CHECK_WEIGHTS.checks;
    const judged = judgeAnswer(ANSWER_CHECK_WEIGHTS, wrong!.prompt, wrong!.answer);
    expect(judged.score).toBe(answerCheckScore(ANSWER_CHECK_WEIGHTS, wrong!.prompt, wrong!.answer));
    const reasons = judged.contributions;
    expect(reasons).toHaveLength(ANSWER_CHECK_FEATURES.length);
    expect(reasons.slice(0, 3).map((r) => r.feature)).toContain('anyWrongSum');
    for (let i = 1; i < reasons.length; i++) expect(reasons[i]!.contribution).toBeLessThanOrEqual(reasons[i - 1]!.contribution);
  });

  it('ships a calibration measured for these weights', () => {
    expect(ANSWER_CHECK_CALIBRATION.version).toBe(ANSWER_CHECK_WEIGHTS.version);
    expect(readFileSync('server/routing/answer-check-weights.json').length).toBeLessThan(10_000);
  });
});

describe('the answer check calibration table', () => {
  const rows = [...ANSWER_CHECK_CALIBRATION.rows].sort((a, b) => a.qualityTarget - b.qualityTarget);

  it('asks the strong model again more often as the quality target rises', () => {
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.threshold).toBeLessThanOrEqual(rows[i - 1]!.threshold);
      expect(rows[i]!.escalatedShare).toBeGreaterThanOrEqual(rows[i - 1]!.escalatedShare);
    }
  });

  it('meets each target on the held-out scores it was measured on', () => {
    for (const row of rows) expect(row.qualityRatio).toBeGreaterThanOrEqual(row.qualityTarget / 100 - 1e-9);
  });

  it('rounds a target between rows up', () => {
    expect(answerCheckCalibrationFor(94.5).qualityTarget).toBe(95);
    expect(answerCheckCalibrationFor(100).qualityTarget).toBe(100);
  });
});

describe('the check threshold that feedback moves', () => {
  it('goes from the calibrated threshold down to 0 (every answer asked again) as the shift goes from 0 to 1, and no further', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: -1, max: 2, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (calibrated, shift, more) => {
        const at = checkThresholdAt(calibrated, shift);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(at).toBeLessThanOrEqual(calibrated + 1e-6);
        expect(checkThresholdAt(calibrated, shift + more)).toBeLessThanOrEqual(at);
      }),
    );
    expect(checkThresholdAt(0.3, 0)).toBe(0.3);
    expect(checkThresholdAt(0.3, 0.5)).toBe(0.15);
    expect(checkThresholdAt(0.3, 1)).toBe(0);
  });

  it('makes trying cheap first moot exactly when the shifted threshold reaches the row that keeps all of the strong model\'s quality, and stays moot beyond', () => {
    const floor = allStrongCheckThreshold();
    expect(floor).toBe(answerCheckCalibrationFor(100).threshold);
    fc.assert(
      fc.property(fc.integer({ min: 80, max: 100 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (target, shift, more) => {
        const moot = cheapFirstIsMoot(target, shift);
        expect(moot).toBe(shift > 0 && checkThresholdAt(answerCheckCalibrationFor(target).threshold, shift) <= floor);
        if (moot) expect(cheapFirstIsMoot(target, Math.min(1, shift + more))).toBe(true);
      }),
    );
    expect(cheapFirstIsMoot(95, 0)).toBe(false);
    expect(cheapFirstIsMoot(95, 1)).toBe(true);
    // At 95% (threshold 0.253) the check keeps all-strong quality at 0.158: moot from a shift of about 0.4 on.
    expect(cheapFirstIsMoot(95, 0.3)).toBe(false);
    expect(cheapFirstIsMoot(95, 0.45)).toBe(true);
  });
});
