import { describe, expect, it } from 'vitest';
import type { DecideResponse } from '../../shared/api.js';
import { answerCheckCalibrationFor } from '../../shared/routing/answer-check-calibration.js';
import { costMicrosOf } from '../../server/ledger/ledger-record.js';
import { ANSWER_CHECK_WEIGHTS, answerCheckScore } from '../../server/routing/answer-check-model.js';
import { PROBLEM, RIGHT, STRONG, STRONG_ANSWER, STRONG_MICROS, useCascade, type CheckedState } from './answer-check-cascade.js';

const c = useCascade();

describe('an answer check that learns from feedback', () => {
  const threshold = answerCheckCalibrationFor(95).threshold;

  it('lowers the check threshold with thumbs-down on answers that passed it: the next such answer is asked again, and once the check would ask again nearly every answer, such prompts go straight to the strong model', async () => {
    c.cheapAnswers.set(PROBLEM, RIGHT);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const { response } = await c.ask(PROBLEM);
      expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^passed; /);
      ids.push(response.headers.get('x-tollgate-request-id')!);
    }
    const rightScore = answerCheckScore(ANSWER_CHECK_WEIGHTS, PROBLEM, RIGHT);
    /** Thumbs-down, one passed answer at a time, until the checked cell's state says `until`. */
    const thumbsDownUntil = async (until: (check: CheckedState) => boolean): Promise<CheckedState> => {
      for (;;) {
        const check = await c.checkedState();
        if (check && until(check)) return check;
        expect(ids.length, 'feedback ran out before the cell moved').toBeGreaterThan(0);
        expect((await c.h.post('/v1/feedback', { requestId: ids.shift()!, thumbs: 'down' })).status).toBe(200);
      }
    };

    const lowered = await thumbsDownUntil((c) => c.threshold <= rightScore);
    expect(lowered).toMatchObject({ calibratedThreshold: threshold, straightToStrong: false });
    const { data, response } = await c.ask(PROBLEM);
    expect(data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(response.headers.get('x-tollgate-answer-check')).toMatch(/^escalated; /);
    const record = await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    expect(record.answerCheck!.calibratedThreshold).toBe(threshold);
    expect(record.answerCheck!.threshold).toBeLessThan(rightScore);

    const moot = await thumbsDownUntil((c) => c.straightToStrong);
    expect(moot.threshold).toBeLessThanOrEqual(answerCheckCalibrationFor(100).threshold);
    const decided = (await (await c.h.post('/v1/decide', { model: STRONG, messages: [{ role: 'user', content: PROBLEM }] }, { 'x-tollgate-policy': 'checked' })).json()) as DecideResponse;
    expect(decided.model).toBe(STRONG);
    expect(decided.router!.online!.find((a) => a.answerCheck)?.answerCheck?.straightToStrong).toBe(true);
    c.cheapUpstream.requests.length = 0;
    c.strongUpstream.requests.length = 0;
    const direct = await c.ask(PROBLEM);
    expect(direct.data.choices[0]!.message.content).toBe(STRONG_ANSWER);
    expect(direct.response.headers.get('x-tollgate-answer-check')).toBeNull();
    expect(c.cheapUpstream.requests).toHaveLength(0);
    expect(c.strongUpstream.requests).toHaveLength(1);
    const directRecord = await c.recordOf(direct.response.headers.get('x-tollgate-request-id')!);
    expect(directRecord.answerCheck).toBeUndefined();
    expect(directRecord.router?.branch).toBe('strong');
    expect(costMicrosOf(directRecord)).toBe(STRONG_MICROS);
  });
});
