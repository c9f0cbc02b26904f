import path from 'node:path';
import { type ResponseCache } from '../cache/response-cache.js';
import { responseCacheFromConfig } from '../cache/cache-from-config.js';
import { FeedbackLedger } from '../feedback/feedback-ledger.js';
import { RecentRequests } from '../feedback/recent-requests.js';
import type { AppConfig } from '../config.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { DayRollup } from '../ledger/day-rollup.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { UsageLedger } from '../ledger/usage-ledger.js';
import { BudgetBook } from '../limits/budget-fact.js';
import { BudgetOverrides } from '../limits/budget-overrides.js';
import { BudgetReservations } from '../limits/budget-reservations.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { SpendIndex } from '../limits/spend-index.js';
import type { Logger } from '../log.js';
import type { ProvidersConfig } from '../providers/providers-config.js';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry.js';
import { dynamicFactResolver } from '../kinds/index.js';
import { Metrics } from './metrics.js';
import type { CircuitBreakers } from './circuit-breaker.js';

/** The runtime's mutable state: what was spent, who is rate limited, what is cached, where answers come from. */
export interface RuntimeState {
  providers: ProviderRegistry;
  cache: ResponseCache;
  limiter: RateLimiter;
  spend: SpendIndex;
  /** Today's requests folded per policy and rule, for the canvas's live figures. */
  today: DayRollup;
  budgets: BudgetOverrides;
  /** Spend, in-flight reservations and overrides, as budget checks read them. */
  book: BudgetBook;
  ledger: UsageLedger;
  metrics: Metrics;
  /** Requests lately answered, for feedback on them. */
  recent: RecentRequests;
  feedback: FeedbackLedger;
  resolver(health: CircuitBreakers): DynamicFactResolver;
  /** Books a request in the ledger, the spend totals and the metrics; `then` sends the answer once the record is written. */
  record(record: LedgerRecord, then: () => void): void;
  close(): Promise<void>;
}

export async function createRuntimeState(config: AppConfig, log: Logger, providersConfig: ProvidersConfig): Promise<RuntimeState> {
  const ledgerDir = path.join(config.dataDir, 'ledger');
  const spend = await SpendIndex.rebuild(ledgerDir, Date.now(), {
    onSkip: (skipped) => log.warn({ skipped }, 'ledger line skipped while rebuilding spend'),
  });
  const today = await DayRollup.rebuild(ledgerDir, Date.now(), {
    onSkip: (skipped) => log.warn({ skipped }, 'ledger line skipped while rebuilding today'),
  });
  const ledger = new UsageLedger(ledgerDir, { fsyncIntervalMs: config.ledgerFsyncMs, log });
  const budgets = await BudgetOverrides.open(config.dataDir);
  const book = new BudgetBook(spend, new BudgetReservations(), budgets);
  const limiter = new RateLimiter();
  const providers = createProviderRegistry(providersConfig);
  const cache = responseCacheFromConfig(config);
  const metrics = new Metrics();
  const recent = new RecentRequests();
  const feedback = new FeedbackLedger(ledgerDir);
  // A verdict on a cached answer moves the threshold of the entry that served it (score ≥ 0.5 counts as right).
  feedback.subscribe((r) => {
    if (r.cache === 'hit') cache.recordHitOutcome(r.requestId, r.score >= 0.5);
  });

  return {
    providers,
    cache,
    limiter,
    spend,
    today,
    budgets,
    book,
    ledger,
    metrics,
    recent,
    feedback,
    resolver: (health) => dynamicFactResolver({ book, limiter, health }),
    record: (record, then) => {
      spend.add(record);
      today.add(record);
      metrics.observe(record);
      recent.remember(record);
      ledger.appendThen(record, then);
    },
    close: async () => {
      ledger.close();
      await providers.close();
    },
  };
}
