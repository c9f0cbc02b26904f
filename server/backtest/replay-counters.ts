import type { BudgetFactParams, RateFactParams, RequestFacts, SplitFactParams } from '../../shared/facts.js';
import type { CountRateAction } from '../../shared/decision.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { splitBucket } from '../engine/split-bucket.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { budgetUsedPct, type BudgetLimits } from '../limits/budget-fact.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { scopeKey } from '../limits/scope-key.js';
import { SpendIndex } from '../limits/spend-index.js';

/**
 * The budget and rate-limit state of one side of a backtest, replayed in time order with the
 * runtime's own spend index and limiter: `now` is the replayed request's time, never the clock.
 */
export class ReplayCounters {
  private readonly spend = new SpendIndex();
  private readonly limiter = new RateLimiter({ maxKeys: 1_000_000 });
  now = 0;
  readonly resolve: DynamicFactResolver;

  constructor(limits?: BudgetLimits) {
    this.resolve = (fact, params, facts) => {
      if (fact === 'budgetUsedPct') return budgetUsedPct(this.spend, params as BudgetFactParams, facts, this.now, limits);
      if (fact === 'rateLimited') {
        const p = params as RateFactParams;
        return this.limiter.isLimited(p, scopeKey(p.scope, facts), this.now);
      }
      if (fact === 'splitBucket') return splitBucket(params as SplitFactParams, facts);
      // Provider outages are not recorded per instant; a replay assumes every provider was up.
      if (fact === 'providerHealthy') return true;
      return undefined;
    };
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
