import type { CountRateAction } from '../../shared/decision.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { dynamicFactResolver } from '../kinds/index.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { BudgetBook, type BudgetLimits } from '../limits/budget-fact.js';
import { BudgetReservations } from '../limits/budget-reservations.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { scopeKey } from '../limits/scope-key.js';
import { SpendIndex } from '../limits/spend-index.js';
import { CircuitBreakers } from '../runtime/circuit-breaker.js';

const NO_OVERRIDES: BudgetLimits = { limitFor: () => undefined };

/**
 * The budget and rate-limit state of one side of a backtest, replayed in time order with the
 * runtime's own spend index, limiter and per-kind fact executors: `now` is the replayed
 * request's time, never the clock.
 */
export class ReplayCounters {
  private readonly spend = new SpendIndex();
  private readonly limiter = new RateLimiter({ maxKeys: 1_000_000 });
  now = 0;
  readonly resolve: DynamicFactResolver;

  constructor(limits?: BudgetLimits) {
    // Provider outages are not recorded per instant; breakers that never see a failure say every provider was up.
    const health = new CircuitBreakers({ failures: Number.MAX_SAFE_INTEGER, windowMs: 1, openMs: 1 });
    // A replay holds no reservations: each recorded request is booked before the next is decided.
    const book = new BudgetBook(this.spend, new BudgetReservations(), limits ?? NO_OVERRIDES);
    this.resolve = dynamicFactResolver({ book, limiter: this.limiter, health, now: () => this.now });
  }

  /** Books spend as the runtime does when a record is written. */
  book(record: LedgerRecord): void {
    this.spend.add(record);
  }

  /** Counts the path's rate limits as the runtime does on deciding. */
  count(actions: readonly CountRateAction[], facts: RequestFacts): void {
    for (const action of actions) this.limiter.count(action, scopeKey(action.scope, facts), facts.promptTokens + facts.maxTokens, this.now);
  }
}
