import { usdToMicros } from '../../shared/cost.js';
import type { BudgetFactParams } from '../../shared/nodes/budget.js';
import type { BudgetReservations } from './budget-reservations.js';
import type { BudgetWindow } from './budget-window.js';
import { scopeKey, type ScopeSubject } from './scope-key.js';
import type { SpendIndex } from './spend-index.js';

/** Per-scope-value limits that replace a budget node's own (see BudgetOverrides). */
export interface BudgetLimits {
  limitFor(key: string, window: BudgetWindow): number | undefined;
}

/** One budget as one request sees it, in integer micro-dollars. */
export interface BudgetUsage {
  key: string;
  /** Committed spend in the window plus what requests in flight have reserved. */
  usedMicros: number;
  limitMicros: number;
}

/** What admission reads budgets from and holds a request's estimate in: this instance's BudgetBook, or a request's view of the shared budgets. */
export interface BudgetView {
  usage(params: BudgetFactParams, subject: ScopeSubject, now: number): BudgetUsage;
  readonly reservations: Pick<BudgetReservations, 'reserve'>;
}

/** Spend, reservations and limit overrides together: what a budget node reads. */
export class BudgetBook implements BudgetView {
  constructor(
    readonly spend: SpendIndex,
    readonly reservations: BudgetReservations,
    private readonly limits?: BudgetLimits,
  ) {}

  usage(params: BudgetFactParams, subject: ScopeSubject, now: number): BudgetUsage {
    const key = scopeKey(params.scope, subject);
    const limitUsd = this.limits?.limitFor(key, params.window) ?? params.limitUsd;
    const usedMicros = this.spend.spentMicros(key, params.window, now) + this.reservations.reservedMicros(key);
    return { key, usedMicros, limitMicros: usdToMicros(limitUsd) };
  }

  /**
   * The `budgetUsedPct` dynamic fact: what the scope has spent in the window and holds for
   * requests in flight, as a percentage of its limit (the override for that scope value if
   * there is one). A limit of 0 means nothing may be spent: Infinity, always over.
   */
  usedPct(params: BudgetFactParams, subject: ScopeSubject, now: number): number {
    return percentUsed(this.usage(params, subject, now));
  }
}

/** A budget's use as the `budgetUsedPct` fact reads it; a limit of 0 is always over. */
export function percentUsed({ usedMicros, limitMicros }: BudgetUsage): number {
  if (!(limitMicros > 0)) return Infinity;
  return (usedMicros / limitMicros) * 100;
}
