import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { PolicyBudget } from '../limits/policy-budgets.js';
import type { BudgetView } from '../limits/budget-fact.js';
import { windowStart } from '../limits/budget-window.js';
import type { AlertFeed } from './alert-feed.js';

const THRESHOLDS = [100, 80] as const;

/**
 * After a record is booked: each budget of its policy that the record's scope has now spent 80%
 * or 100% of raises a budget alert, once per scope, threshold and budget window (a daily budget
 * alerts once a day at most; the next day may alert again).
 */
export function checkBudgets(options: { feed: AlertFeed; book: Pick<BudgetView, 'usage'>; budgets: PolicyBudget[]; record: LedgerRecord; now: number }): void {
  const { feed, book, budgets, record, now } = options;
  for (const budget of budgets) {
    if (budget.policy !== record.policy) continue;
    const usage = book.usage(budget, record, now);
    if (usage.limitMicros <= 0) continue;
    const pct = (usage.usedMicros / usage.limitMicros) * 100;
    const crossed = THRESHOLDS.find((t) => pct >= t);
    if (crossed === undefined) continue;
    feed.raise(
      {
        kind: 'budget',
        scope: `${budget.policy} ${usage.key} ${budget.window} ${crossed}%`,
        text: `${usage.key} has spent ${pct.toFixed(0)}% of its ${budget.window} budget of $${(usage.limitMicros / 1e6).toFixed(2)} in policy ${budget.policy}`,
      },
      { windowStart: windowStart(budget.window, now) },
    );
  }
}
