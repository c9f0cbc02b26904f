import type { ChatCompletionRequest } from '../../shared/api.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { PricingTable } from '../../shared/pricing.js';
import type { Rule } from '../../shared/rule-file.js';
import { BUDGET_FACT } from '../../shared/nodes/budget.js';
import { dataKey } from '../engine/data-key.js';
import type { DynamicFactResolver, PolicyEvaluator } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import { planActions, type ActionPlan } from '../runtime/plan-actions.js';
import type { BudgetView } from './budget-fact.js';
import { firstBreach, pathBudgets, type BudgetGate } from './budget-gates.js';
import type { Reservation } from './budget-reservations.js';
import { reservationMicros } from './reservation-estimate.js';
import { scopeKey } from './scope-key.js';

export interface AdmissionInput {
  evaluator: PolicyEvaluator;
  request: ChatCompletionRequest;
  facts: RequestFacts;
  resolve: DynamicFactResolver;
  budgets: BudgetView;
  pricing: PricingTable;
  now: number;
  /** The caller's key-bound tags, kept over any Tag step (see planActions). */
  boundTags?: Record<string, string> | undefined;
  /** Whether this plan goes to the batch lane: its hold is then priced at the batch price. */
  deferred?: ((plan: ActionPlan) => boolean) | undefined;
  /** Changes the plan before it is priced and held (an embeddings call serves its own model, whatever the route names). */
  reshape?: ((plan: ActionPlan) => ActionPlan) | undefined;
}

export interface Admitted {
  rule: Rule;
  plan: ActionPlan;
  /** Held against every budget until the request is booked; null when it can cost nothing. */
  reservation: Reservation | null;
}

/** A policy has few budget thresholds; each re-decision passes at least one, so this is never reached by a compiled graph. */
const MAX_DECISIONS = 16;

/**
 * Decides, then holds the request's estimated cost against every budget on its rule's path
 * (a rule without budgets holds nothing), checked against those it passed on the "ok" side.
 * When the estimate does not fit under one of them (the fact said ok, but spent +
 * reserved + this request would cross the threshold), the request is decided again with that
 * budget at its threshold, so it takes the policy's own "over" branch (degrade or refuse),
 * whose targets are checked the same way. The check and the reservation run in one
 * synchronous step, so concurrent requests cannot both take the last of a budget. Sync unless
 * the evaluator is (the reference evaluator returns promises).
 */
export function admit(input: AdmissionInput): Admitted | null | Promise<Admitted | null> {
  const round = new AdmissionRound(input);
  for (let i = 0; i < MAX_DECISIONS; i++) {
    const decided = input.evaluator.decide(input.facts, round.resolve);
    if (decided instanceof Promise) return decided.then((rule) => admitAsync(round, rule, i));
    const outcome = round.tryAdmit(decided);
    if (outcome !== AGAIN) return outcome;
  }
  return round.giveUp();
}

async function admitAsync(round: AdmissionRound, first: Rule | null, used: number): Promise<Admitted | null> {
  let rule = first;
  for (let i = used; i < MAX_DECISIONS; i++) {
    const outcome = round.tryAdmit(rule);
    if (outcome !== AGAIN) return outcome;
    rule = await round.input.evaluator.decide(round.input.facts, round.resolve);
  }
  return round.giveUp();
}

const AGAIN = Symbol('decide again');

class AdmissionRound {
  /** Budget fact params (as dataKey) -> the least value the fact reads as in the next decision; made on the first breach. */
  private floors: Map<string, number> | null = null;
  resolve: DynamicFactResolver;
  private last: Rule | null = null;

  constructor(readonly input: AdmissionInput) {
    this.resolve = input.resolve;
  }

  tryAdmit(rule: Rule | null): Admitted | null | typeof AGAIN {
    if (!rule) return null;
    this.last = rule;
    const { request, facts, pricing, budgets: book, now, boundTags } = this.input;
    const planned = planActions(rule, { request, facts, boundTags });
    const plan = this.input.reshape ? this.input.reshape(planned) : planned;
    const budgets = pathBudgets(rule);
    if (budgets.scopes.length === 0) return { rule, plan, reservation: null };
    const estimateMicros = reservationMicros(plan, { promptTokens: facts.promptTokens, pricing, batch: this.input.deferred?.(plan) ?? false });
    if (estimateMicros === 0) return { rule, plan, reservation: null };
    const breach = firstBreach(book, budgets.gates, { subject: facts, estimateMicros, now });
    if (!breach) {
      const keys = budgets.scopes.map((scope) => scopeKey(scope, facts));
      return { rule, plan, reservation: book.reservations.reserve(keys, estimateMicros) };
    }
    this.raiseFloor(breach);
    return AGAIN;
  }

  /** Unreachable for compiled graphs (see MAX_DECISIONS); refuse rather than admit unchecked. */
  giveUp(): never {
    const rule = this.last?.name ?? 'none';
    throw new HttpError({
      status: 429,
      message: `No branch of this policy fits the request under its budgets (last rule tried: ${rule})`,
      type: 'budget_exceeded',
      code: 'budget_exceeded',
    });
  }

  private raiseFloor(gate: BudgetGate): void {
    const key = dataKey(gate.params) ?? '';
    // At the threshold a `<` test fails; a `<=` test needs a hair above it.
    const value = gate.inclusive ? gate.thresholdPct + Math.max(1e-9, gate.thresholdPct * 1e-12) : gate.thresholdPct;
    const floors = (this.floors ??= new Map());
    floors.set(key, Math.max(floors.get(key) ?? -Infinity, value));
    const base = this.input.resolve;
    this.resolve = (fact, params, facts) => {
      const value = base(fact, params, facts);
      if (fact !== BUDGET_FACT) return value;
      const floor = floors.get(dataKey(params) ?? '');
      return floor === undefined ? value : Math.max(value as number, floor);
    };
  }
}
