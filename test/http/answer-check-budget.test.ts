import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { costMicrosOf, type LedgerRecord } from '../../server/ledger/ledger-record.js';
import { BUDGET_MICROS, CHEAP_MICROS, PROBLEM, STRONG_MICROS, useCascade, WRONG } from './answer-check-cascade.js';
import { waitFor } from './wait-for.js';

const c = useCascade();

describe('a cascade behind a team budget', () => {
  it('holds a budget under 50 parallel requests that all fail the check: escalations that no longer fit keep the cheap answer, and the spend stays under the limit', async () => {
    const team = 'cascade-race';
    c.cheapAnswers.set(PROBLEM, WRONG);
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, async () => {
        try {
          const { response } = await c.ask(PROBLEM, 'checked-budget', { 'x-tollgate-tags': `team=${team}` });
          return response.headers.get('x-tollgate-answer-check')!.split(';')[0]!;
        } catch (error) {
          if (error instanceof OpenAI.APIError) return String(error.status);
          throw error;
        }
      }),
    );
    let records: LedgerRecord[] = [];
    await waitFor(async () => (records = (await c.ledger()).filter((r) => r.tags.team === team)).length === 50, 100, 20);
    const booked = records.reduce((sum, r) => sum + costMicrosOf(r), 0);
    // $0.05 a day: an escalated request books both calls; escalating never lets spend pass the limit.
    expect(booked).toBeLessThanOrEqual(BUDGET_MICROS);
    const escalated = outcomes.filter((o) => o === 'escalated').length;
    expect(escalated).toBeGreaterThan(0);
    expect(escalated).toBeLessThanOrEqual(Math.floor(BUDGET_MICROS / (CHEAP_MICROS + STRONG_MICROS)));
    expect(outcomes.filter((o) => o === 'kept').length + escalated + outcomes.filter((o) => o === '429').length).toBe(50);
    expect(records.filter((r) => r.answerCheck?.kept).every((r) => /refus/.test(r.answerCheck!.kept!))).toBe(true);
  });
});
