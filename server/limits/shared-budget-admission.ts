import type { RuleFile } from '../../shared/rule-file.js';
import type { RequestFacts } from '../../shared/facts.js';
import { BUDGET_FACT, BudgetFactParamsSchema } from '../../shared/nodes/budget.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import { admit, type Admitted, type AdmissionInput } from './budget-admission.js';
import { percentUsed, type BudgetView } from './budget-fact.js';

/** One request's view of budgets shared by every instance: read in one round trip before its decision. */
export interface RequestBudgets {
  /** What the decision reads; a reservation made in it is only an intent until `hold`. */
  book: BudgetView;
  /**
   * Holds the admitted request's estimate in the shared store, atomically against every budget
   * on its path. Null when another instance took the room meanwhile (decide again on a fresh
   * view); throws a 503 HttpError when the store is away and budgets fail closed.
   */
  hold(admitted: Admitted, facts: RequestFacts): Promise<Admitted | null>;
}

export interface SharedBudgetSource {
  view(input: { rules: RuleFile; facts: RequestFacts; now: number }): Promise<RequestBudgets>;
}

/** A lost race re-reads the budgets and decides again; each round means another instance spent meanwhile, so few are needed. */
const MAX_ROUNDS = 5;

/**
 * `admit` against shared budgets: read spend and holds, decide on that view, then hold the
 * estimate in one atomic step (in Redis). If that step finds the room taken, the request is
 * decided again on fresh numbers, so it takes the policy's own "over" branch when the budget is
 * spent. Money can only be held, never spent, past a limit by requests in flight.
 */
export async function admitShared(
  source: SharedBudgetSource,
  input: AdmissionInput & { rules: RuleFile; /** The first view, when read alongside something else (the shared rate limits). */ first?: Promise<RequestBudgets> | undefined },
): Promise<Admitted | null> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const view = await (round === 0 && input.first ? input.first : source.view({ rules: input.rules, facts: input.facts, now: input.now }));
    const admitted = await admit({ ...input, budgets: view.book, resolve: readingSharedBudgets(input.resolve, view.book, input.now) });
    if (!admitted?.reservation) return admitted;
    const held = await view.hold(admitted, input.facts);
    if (held) return held;
  }
  throw new HttpError({
    status: 429,
    message: 'The shared budgets on this policy path kept filling while this request was admitted; retry shortly',
    type: 'budget_exceeded',
    code: 'budget_exceeded',
  });
}

/** The request's resolver with `budgetUsedPct` read from the shared view instead of this instance's book. */
export function readingSharedBudgets(base: DynamicFactResolver, book: BudgetView, now: number): DynamicFactResolver {
  return (fact, params, facts) => {
    if (fact !== BUDGET_FACT) return base(fact, params, facts);
    const parsed = BudgetFactParamsSchema.safeParse(params);
    if (!parsed.success) return base(fact, params, facts);
    return percentUsed(book.usage(parsed.data, facts, now));
  };
}
