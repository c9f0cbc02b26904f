import { beforeAll, describe, expect, it } from 'vitest';
import type { UsageResponse } from '../../shared/usage-api.js';
import { CHOICE, PROBLEM, RIGHT, useCascade, WRONG } from './answer-check-cascade.js';

const c = useCascade();

describe('what the answer check did, in /api/usage and /metrics', () => {
  beforeAll(async () => {
    // One of each: escalated and served by the strong model, kept because the strong model failed, passed, and not checked.
    const asked: [string, string, boolean][] = [[PROBLEM, WRONG, false], [PROBLEM, WRONG, true], [PROBLEM, RIGHT, false], [CHOICE, 'C', false]];
    for (const [prompt, cheap, strongFails] of asked) {
      c.cheapAnswers.set(prompt, cheap);
      c.strongUpstream.setFault(strongFails ? { status: 503 } : null);
      const { response } = await c.ask(prompt);
      await c.recordOf(response.headers.get('x-tollgate-request-id')!);
    }
    c.strongUpstream.setFault(null);
  });

  it('counts the checked, escalated and paid-twice cheap answers per policy as the ledger has them, from the rollups and from the ledger alike', async () => {
    const records = (await c.ledger()).filter((r) => r.policy === 'checked');
    const escalated = records.filter((r) => r.answerCheck?.escalated && !r.answerCheck.kept);
    const expected = {
      answersChecked: records.filter((r) => r.answerCheck).length,
      answersEscalated: escalated.length,
      escalatedCheapCostUsd: escalated.reduce((sum, r) => sum + r.answerCheck!.cheap!.costMicros, 0) / 1e6,
    };
    // Three checked (the multiple-choice answer is not), one of them asked again and served by the strong model.
    expect(expected).toMatchObject({ answersChecked: 3, answersEscalated: 1 });
    const today = new Date().toISOString().slice(0, 10);
    for (const query of [`groupBy=policy&from=${today}`, 'groupBy=policy']) {
      const usage = (await (await fetch(`${c.h.url}/api/usage?${query}`)).json()) as UsageResponse;
      const row = usage.groups.find((g) => g.key === 'checked')!;
      expect(row.answersChecked).toBe(expected.answersChecked);
      expect(row.answersEscalated).toBe(expected.answersEscalated);
      expect(row.escalatedCheapCostUsd).toBeCloseTo(expected.escalatedCheapCostUsd, 6);
    }
  });

  it('books what escalations overspent on /metrics apart from what was saved, so saved less overspent is the net the ledger has', async () => {
    const records = (await c.ledger()).filter((r) => r.policy === 'checked');
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    const overspent = sum(records.filter((r) => r.savedUsd < 0).map((r) => -r.savedUsd));
    const saved = sum(records.filter((r) => r.savedUsd > 0).map((r) => r.savedUsd));
    expect(overspent).toBeGreaterThan(0);
    const text = await (await fetch(`${c.h.url}/metrics`)).text();
    const metric = (name: string) => sum([...text.matchAll(new RegExp(`^${name}\\{policy="checked",[^}]*\\} (\\S+)$`, 'gm'))].map((m) => Number(m[1])));
    expect(metric('tollgate_overspent_usd_total')).toBeCloseTo(overspent, 9);
    expect(metric('tollgate_saved_usd_total')).toBeCloseTo(saved, 9);
  });
});
