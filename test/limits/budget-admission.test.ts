import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { BudgetFactParams } from '../../shared/nodes/budget.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import { RuleFileSchema } from '../../shared/rule-file.js';
import { createEvaluator } from '../../server/engine/create-evaluator.js';
import type { DynamicFactResolver, PolicyEvaluator } from '../../server/engine/evaluator.js';
import { ReferenceEvaluator } from '../../server/engine/reference-evaluator.js';
import { requestFacts } from '../../server/facts/request-facts.js';
import { BudgetBook } from '../../server/limits/budget-fact.js';
import { BudgetReservations } from '../../server/limits/budget-reservations.js';
import { SpendIndex } from '../../server/limits/spend-index.js';
import { admit, type Admitted } from '../../server/limits/budget-admission.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

/** The budget guard example: $50 a day per team; from 80% degraded to gpt-4o-mini, from 100% refused. */
const guard = RuleFileSchema.parse(JSON.parse(readFileSync(new URL('../../rules/budget-guard.json', import.meta.url), 'utf8')));
const NOW = Date.parse('2025-03-12T15:00:00Z');
const caller = { tags: { team: 'search' }, serviceKey: 'svc', user: 'u', tier: '' };

function setup(spentUsd: number) {
  const spend = new SpendIndex();
  if (spentUsd > 0) spend.add(ledgerRecord({ time: '2025-03-12T01:00:00Z', costUsd: spentUsd, tags: { team: 'search' } }));
  const book = new BudgetBook(spend, new BudgetReservations());
  const resolve: DynamicFactResolver = (fact, params, facts) => (fact === 'budgetUsedPct' ? book.usedPct(params as BudgetFactParams, facts, NOW) : undefined);
  return { book, resolve };
}

async function admitted(spentUsd: number, request: ChatCompletionRequest, evaluator: PolicyEvaluator = createEvaluator(guard)) {
  const { book, resolve } = setup(spentUsd);
  const facts = requestFacts(request, { caller, pricing: DEFAULT_PRICING, now: new Date(NOW) });
  const result = (await admit({ evaluator, request, facts, resolve, budgets: book, pricing: DEFAULT_PRICING, now: NOW })) as Admitted;
  return { result, book, facts };
}

const ask = (model: string, maxTokens: number): ChatCompletionRequest => ({ model, messages: [{ role: 'user', content: 'Draft the release notes.' }], max_tokens: maxTokens });
const teamDay = { scope: 'tag:team', limitUsd: 50, window: 'day' } as const;

describe('budget admission', () => {
  it('admits under the threshold and holds the estimate, which the budget fact then counts until released', async () => {
    const { result, book, facts } = await admitted(10, ask('gpt-4o', 1000));
    expect(result.rule.name).toBe('as-requested');
    // Dearest of the route (gpt-4o) and its fallback (gpt-4o-mini): prompt at $2.5/M plus 1,000 out at $10/M.
    expect(result.reservation!.micros).toBe(Math.ceil(facts.promptTokens * 2.5) + 10_000);
    expect(book.usedPct(teamDay, facts, NOW)).toBeCloseTo(((10_000_000 + result.reservation!.micros) / 50_000_000) * 100, 9);
    result.reservation!.release();
    result.reservation!.release();
    expect(book.usedPct(teamDay, facts, NOW)).toBe(20);
  });

  it('sends a request whose estimate would cross 80% down the policy’s own degrade branch, priced at the cheaper model', async () => {
    // $39.95 spent is 79.9%: the fact says "ok", but $0.10 more would pass $40.
    const { result, facts } = await admitted(39.95, ask('gpt-4o', 10_000));
    expect(result.rule.name).toBe('degrade-to-mini');
    expect(result.plan.terminal).toMatchObject({ type: 'degrade', model: 'gpt-4o-mini' });
    expect(result.reservation!.micros).toBe(Math.ceil(facts.promptTokens * 0.15 + 10_000 * 0.6));
  });

  it('refuses when even the degrade model would take the team past 100%', async () => {
    const { result, book, facts } = await admitted(49.999, ask('gpt-4o', 10_000));
    expect(result.rule.name).toBe('refuse-budget-spent');
    expect(result.reservation).toBeNull();
    expect(book.reservations.reservedMicros(`tag:team=${facts.tags.team}`)).toBe(0);
  });

  it('prices a route at its dearest fallback, so a fallback cannot overspend', async () => {
    const { result, facts } = await admitted(0, ask('gpt-4.1-nano', 1000));
    expect(result.rule.name).toBe('as-requested');
    expect(result.reservation!.micros).toBe(Math.ceil(facts.promptTokens * 0.15 + 1000 * 0.6));
  });

  it('holds no more output than the model can write in one call, so an outsized max_tokens is not refused as over budget', async () => {
    // 1e9 tokens at $10/M would be a $10,000 hold against a $50 day; gpt-4o writes at most 16,384 in a call.
    const { result, facts } = await admitted(0, ask('gpt-4o', 1_000_000_000));
    expect(result.rule.name).toBe('as-requested');
    expect(result.reservation!.micros).toBe(Math.ceil(facts.promptTokens * 2.5) + 16_384 * 10);
    // Under the cap, the caller's own max_tokens is what is held.
    expect((await admitted(0, ask('gpt-4o', 16_000))).result.reservation!.micros).toBe(Math.ceil(facts.promptTokens * 2.5) + 160_000);
  });

  it('decides the same way on the reference evaluator, whose decisions are promises', async () => {
    const { result } = await admitted(39.95, ask('gpt-4o', 10_000), new ReferenceEvaluator(guard));
    expect(result.rule.name).toBe('degrade-to-mini');
    expect(result.reservation!.micros).toBeGreaterThan(0);
  });
});
