import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChatCompletionRequest } from '../shared/api.js';
import type { BudgetFactParams } from '../shared/nodes/budget.js';
import { DEFAULT_PRICING } from '../shared/pricing.js';
import { RuleFileSchema } from '../shared/rule-file.js';
import { createEvaluator } from '../server/engine/create-evaluator.js';
import type { DynamicFactResolver } from '../server/engine/evaluator.js';
import { requestFacts } from '../server/facts/request-facts.js';
import { BudgetBook } from '../server/limits/budget-fact.js';
import { BudgetReservations } from '../server/limits/budget-reservations.js';
import { SpendIndex } from '../server/limits/spend-index.js';
import { admit, type Admitted } from '../server/limits/budget-admission.js';
import { planActions } from '../server/runtime/plan-actions.js';

export interface ReservationMicroReport {
  /** BudgetReservations.reserve + release alone, under two scope keys. */
  reserveReleaseUs: number;
  /** budget-guard, a request well under its budget: decide + plan, as admission was before reservations. */
  decideUs: number;
  /** The same request through admit() (decide, plan, estimate, check, reserve) and release. */
  admitReleaseUs: number;
  iterations: number;
}

/** Mean µs of one call over `iterations`, after as many warm-up calls. */
function timeEach(iterations: number, fn: () => void): number {
  for (let i = 0; i < iterations; i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1000 / iterations;
}

/**
 * The per-request cost of budget reservations, in process: what a request on the budget-guard
 * policy pays for decide + plan alone (the old admission) against admit() + release (the new
 * one: estimate, check and reserve against the budgets on the path, release on booking).
 */
export function runReservationMicro(repo: string, iterations = 200_000): ReservationMicroReport {
  const ruleFile = RuleFileSchema.parse(JSON.parse(readFileSync(path.join(repo, 'rules', 'budget-guard.json'), 'utf8')));
  const evaluator = createEvaluator(ruleFile);
  const now = Date.now();
  const spend = new SpendIndex();
  const book = new BudgetBook(spend, new BudgetReservations());
  const resolve: DynamicFactResolver = (fact, params, facts) => (fact === 'budgetUsedPct' ? book.usedPct(params as BudgetFactParams, facts, now) : undefined);
  const request: ChatCompletionRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in one short sentence.' }], max_tokens: 64 };
  const caller = { tags: { team: 'search', feature: 'chat', env: 'prod' }, serviceKey: 'svc', user: 'u', tier: '' };
  const facts = requestFacts(request, { caller, pricing: DEFAULT_PRICING, now: new Date(now) });

  const keys = ['tag:team=search', 'global'];
  const reserveReleaseUs = timeEach(iterations, () => book.reservations.reserve(keys, 1000).release());
  const decideUs = timeEach(iterations, () => {
    const rule = evaluator.decide(facts, resolve);
    if (rule && !(rule instanceof Promise)) planActions(rule, { request, facts });
  });
  const admitReleaseUs = timeEach(iterations, () => {
    const admitted = admit({ evaluator, request, facts, resolve, budgets: book, pricing: DEFAULT_PRICING, now }) as Admitted;
    admitted.reservation?.release();
  });
  if (book.reservations.outstanding !== 0) throw new Error('the micro-bench leaked reservations');
  return { reserveReleaseUs, decideUs, admitReleaseUs, iterations };
}
