import { describe, expect, it } from 'vitest';
import { RouterLearner, type RouterOutcome } from '../../server/routing/router-learner.js';
import { pointKey, type RouterRef } from '../../server/routing/router-ref.js';
import { SCORE_FLOOR } from '../../server/routing/online-correction.js';
import { checkThresholdAt, cheapFirstIsMoot } from '../../server/routing/answer-check-threshold.js';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';

const params = { version: 'lr-test', thresholds: { choice: 0.2, open: 0.3 } };
const ref = (over: Partial<RouterRef> = {}): RouterRef => ({
  node: 'smart-route',
  point: pointKey(params),
  qualityTarget: 95,
  branch: 'cheap',
  shape: 'open',
  taskType: 'math',
  score: 0.1,
  ...over,
});
const outcomes = (n: number, score: number, over: Partial<RouterRef> = {}, start = 1_000): RouterOutcome[] =>
  Array.from({ length: n }, (_, i) => ({ router: ref(over), score, at: start + i }));

describe('the router learner', () => {
  it('keeps the calibrated threshold until feedback says otherwise', () => {
    const learner = new RouterLearner();
    expect(learner.thresholdFor({ params, shape: 'open', taskType: 'math', now: 0 })).toBe(0.3);
    for (const o of outcomes(60, 1)) learner.observe(o);
    expect(learner.thresholdFor({ params, shape: 'open', taskType: 'math', now: 2_000 })).toBe(0.3);
  });

  it('moves only the shape and task type that failed on the cheap branch toward strong', () => {
    const learner = RouterLearner.rebuild(outcomes(60, 0));
    expect(learner.thresholdFor({ params, shape: 'open', taskType: 'math', now: 2_000 })).toBeCloseTo(SCORE_FLOOR, 3);
    expect(learner.thresholdFor({ params, shape: 'choice', taskType: 'math', now: 2_000 })).toBe(0.2);
    expect(learner.thresholdFor({ params, shape: 'open', taskType: 'chat', now: 2_000 })).toBe(0.3);
    const other = { version: 'lr-test', thresholds: { choice: 0.1, open: 0.1 } };
    expect(learner.thresholdFor({ params: other, shape: 'open', taskType: 'math', now: 2_000 })).toBe(0.1);
    const seen = learner.adjustment({ params, shape: 'open', taskType: 'math', now: 2_000 });
    expect(seen.cheap.outcomes).toBeCloseTo(60, 1);
    expect(seen.cheap.quality).toBe(0);
    expect(seen.shift).toBeCloseTo(1, 3);
    expect(seen.promised).toBeCloseTo(0.95, 6);
  });

  it('recovers step by step when the cheap branch keeps its promise again', () => {
    const learner = RouterLearner.rebuild(outcomes(60, 0));
    const shifted = learner.adjustment({ params, shape: 'open', taskType: 'math', now: 2_000 }).shift;
    // The bad verdicts must first be outweighed: decay them (two days) and feed good outcomes.
    for (const o of outcomes(200, 1, {}, 2 * 86_400_000)) learner.observe(o);
    const after = learner.adjustment({ params, shape: 'open', taskType: 'math', now: 2 * 86_400_000 + 200 });
    expect(after.shift).toBeLessThan(shifted);
    expect(after.shift).toBe(0);
  });

  it('ignores strong-branch feedback for the shift but uses it as the reference quality', () => {
    const learner = RouterLearner.rebuild([...outcomes(40, 0.5, { branch: 'strong' }), ...outcomes(40, 0.5, {}, 5_000)]);
    const seen = learner.adjustment({ params, shape: 'open', taskType: 'math', now: 6_000 });
    expect(seen.promised).toBeCloseTo(0.95 * 0.5, 2);
    expect(seen.shift).toBe(0);
  });

  it('counts a request once however often it is rated: the latest rating replaces the earlier one', () => {
    const learner = new RouterLearner();
    for (let i = 0; i < 60; i++) learner.observe({ router: ref(), score: 0, at: 1_000 + i, requestId: 'one-request' });
    const seen = learner.adjustment({ params, shape: 'open', taskType: 'math', now: 2_000 });
    expect(seen.cheap.outcomes).toBeCloseTo(1, 6);
    expect(seen.shift).toBe(0);
    learner.observe({ router: ref(), score: 1, at: 2_000, requestId: 'one-request' });
    expect(learner.adjustment({ params, shape: 'open', taskType: 'math', now: 2_000 }).cheap).toMatchObject({ outcomes: 1, quality: 1 });
  });

  it('holds a bounded number of operating points, dropping the least lately fed', () => {
    const learner = new RouterLearner(undefined, 4);
    for (let i = 0; i < 10; i++) {
      const p = { version: 'lr-test', thresholds: { choice: i, open: i } };
      learner.observe({ router: ref({ point: pointKey(p) }), score: 1, at: 1_000 + i });
    }
    const state = learner.state(2_000);
    expect(state.points).toBe(4);
    expect(new Set(state.adjustments.map((a) => a.point))).toEqual(new Set([6, 7, 8, 9].map((i) => `lr-test:${i},${i}`)));
  });

  it('for a router that checks answers, shows the check threshold its open maths cell is at and when those prompts go straight to strong, with the calibrated thresholds read back from the point', () => {
    const checked = { ...params, checkOpenAnswers: true as const };
    const checkedRef = (over: Partial<RouterRef> = {}) => ref({ point: pointKey(checked), ...over });
    const learner = RouterLearner.rebuild(Array.from({ length: 31 }, (_, i) => ({ router: checkedRef(), score: 0, at: 1_000 + i })));
    const calibrated = answerCheckCalibrationFor(95).threshold;
    const state = learner.state(2_000).adjustments;
    const cell = state.find((a) => a.shape === 'open' && a.taskType === 'math')!;
    expect(cell.point.endsWith(':checked')).toBe(true);
    expect(cell.calibratedThreshold).toBe(0.3);
    expect(cell.shift).toBeGreaterThan(0);
    // The shown shift is rounded to 4 places; the check threshold is worked out from the exact one.
    expect(cell.answerCheck).toMatchObject({ calibratedThreshold: calibrated, straightToStrong: cheapFirstIsMoot(95, cell.shift) });
    expect(cell.answerCheck!.threshold).toBeCloseTo(checkThresholdAt(calibrated, cell.shift), 4);
    expect(learner.qualityTargetOf(pointKey(checked))).toBe(95);
    expect(learner.qualityTargetOf(pointKey(params))).toBeNull();
    // Another cell of the same point, and a plain router's cell, have no answer check.
    const others = RouterLearner.rebuild([...outcomes(5, 0), ...Array.from({ length: 5 }, (_, i) => ({ router: checkedRef({ taskType: 'chat' }), score: 0, at: 1_000 + i }))]).state(2_000);
    expect(others.adjustments.every((a) => a.answerCheck === undefined)).toBe(true);
  });

  it('knows which ratings it has counted, so catching up from another instance skips them and takes a later re-rating', () => {
    const learner = new RouterLearner();
    learner.observe({ router: ref(), score: 0, at: 5_000, requestId: 'r1' });
    expect(learner.hasCounted('r1', 5_000)).toBe(true);
    expect(learner.hasCounted('r1', 4_000)).toBe(true);
    expect(learner.hasCounted('r1', 6_000)).toBe(false);
    expect(learner.hasCounted('r2', 1_000)).toBe(false);
  });

  it('rebuilds the same state from the same feedback in any order', () => {
    const feed = [...outcomes(45, 0), ...outcomes(20, 1, { shape: 'choice' }, 3_000), ...outcomes(35, 1, { branch: 'strong' }, 4_000)];
    const a = RouterLearner.rebuild(feed).state(10_000);
    const b = RouterLearner.rebuild([...feed].reverse()).state(10_000);
    expect(b).toEqual(a);
  });
});
