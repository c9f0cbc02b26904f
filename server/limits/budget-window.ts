export const BUDGET_WINDOWS = ['day', 'week', 'month'] as const;
export type BudgetWindow = (typeof BUDGET_WINDOWS)[number];

const DAY_MS = 86_400_000;

/** The UTC instant a window containing `now` began: midnight, Monday midnight, or the 1st at midnight. */
export function windowStart(window: BudgetWindow, now: number): number {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (window === 'day') return midnight;
  if (window === 'month') return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const sinceMonday = (date.getUTCDay() + 6) % 7;
  return midnight - sinceMonday * DAY_MS;
}

/** A name for the window containing `now`, e.g. `week:2025-03-10`. */
export function periodId(window: BudgetWindow, now: number): string {
  return `${window}:${new Date(windowStart(window, now)).toISOString().slice(0, 10)}`;
}
