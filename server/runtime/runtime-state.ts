import path from 'node:path';
import type { BudgetFactParams, RateFactParams, SplitFactParams } from '../../shared/facts.js';
import { createResponseCache, type ResponseCache } from '../cache/response-cache.js';
import type { AppConfig } from '../config.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { splitBucket } from '../engine/split-bucket.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { UsageLedger } from '../ledger/usage-ledger.js';
import { budgetUsedPct } from '../limits/budget-fact.js';
import { BudgetOverrides } from '../limits/budget-overrides.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { scopeKey } from '../limits/scope-key.js';
import { promptShapeFact, routerScoreFact } from '../routing/router-fact.js';
import { SpendIndex } from '../limits/spend-index.js';
import type { Logger } from '../log.js';
import { providersConfigFromEnv } from '../providers/providers-config.js';
import { createProviderRegistry, type ProviderRegistry } from '../providers/registry.js';
import { Metrics } from './metrics.js';
import type { ProviderHealth } from './provider-health.js';

/** The runtime's mutable state: what was spent, who is rate limited, what is cached, where answers come from. */
export interface RuntimeState {
  providers: ProviderRegistry;
  cache: ResponseCache;
  limiter: RateLimiter;
  spend: SpendIndex;
  budgets: BudgetOverrides;
  ledger: UsageLedger;
  metrics: Metrics;
  resolver(health: ProviderHealth): DynamicFactResolver;
  /** Books a request in the ledger, the spend totals and the metrics; `then` sends the answer once the record is written. */
  record(record: LedgerRecord, then: () => void): void;
  close(): Promise<void>;
}

export async function createRuntimeState(config: AppConfig, log: Logger, env: Record<string, string | undefined>): Promise<RuntimeState> {
  const ledgerDir = path.join(config.dataDir, 'ledger');
  const spend = await SpendIndex.rebuild(ledgerDir, Date.now(), {
    onSkip: (skipped) => log.warn({ skipped }, 'ledger line skipped while rebuilding spend'),
  });
  const ledger = new UsageLedger(ledgerDir, { fsyncIntervalMs: config.ledgerFsyncMs, log });
  const budgets = await BudgetOverrides.open(config.dataDir);
  const limiter = new RateLimiter();
  const providers = createProviderRegistry(providersConfigFromEnv(env));
  const cache = createResponseCache({});
  const metrics = new Metrics();

  return {
    providers,
    cache,
    limiter,
    spend,
    budgets,
    ledger,
    metrics,
    resolver: (health) => (fact, params, facts) => {
      switch (fact) {
        case 'budgetUsedPct':
          return budgetUsedPct(spend, params as BudgetFactParams, facts, Date.now(), budgets);
        case 'rateLimited': {
          const p = params as RateFactParams;
          return limiter.isLimited(p, scopeKey(p.scope, facts), Date.now());
        }
        case 'providerHealthy':
          return health.isHealthy(String(params.provider));
        case 'splitBucket':
          return splitBucket(params as SplitFactParams, facts);
        case 'routerScore': return routerScoreFact(facts);
        case 'promptShape': return promptShapeFact(facts);
        default:
          return undefined;
      }
    },
    record: (record, then) => {
      spend.add(record);
      metrics.observe(record);
      ledger.appendThen(record, then);
    },
    close: async () => {
      ledger.close();
      await providers.close();
    },
  };
}
