import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { type ResponseCache } from '../cache/response-cache.js';
import { responseCacheFromConfig } from '../cache/cache-from-config.js';
import { FeedbackLedger } from '../feedback/feedback-ledger.js';
import { RecentRequests } from '../feedback/recent-requests.js';
import type { FeedbackRecord } from '../feedback/feedback-record.js';
import { routerOutcome } from '../feedback/router-outcome.js';
import { RouterLearner } from '../routing/router-learner.js';
import type { AppConfig } from '../config.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { DayRollup } from '../ledger/day-rollup.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import { UsageLedger } from '../ledger/usage-ledger.js';
import { DAY_MS, ROLLUP_DAYS, UsageRollups } from '../ledger/usage-rollups.js';
import { BudgetBook } from '../limits/budget-fact.js';
import { readLedger } from '../ledger/read-ledger.js';
import { openLedgerDatabase, type LedgerDatabase } from '../ledger-db/ledger-database.js';
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
import type { RateWindows } from '../limits/rate-windows.js';
import { connectRedis, type SharedRedis } from '../redis/redis-connection.js';
import { RedisMetrics } from '../redis/redis-metrics.js';
import { createRedisResponseCache } from '../redis/redis-response-cache.js';
import { createRedisResponseStore } from '../redis/redis-response-store.js';
import { LocalResponseStore } from '../responses/local-response-store.js';
import type { ResponseStore } from '../responses/response-store.js';
import { sizeSetting } from '../size-setting.js';
import { checkServiceUrl } from '../redis/service-url.js';
import { SharedBudgets } from '../redis/shared-budgets.js';
import { SharedSemanticEntries } from '../redis/shared-semantic-entries.js';

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
  /** The learned router's online correction, fed by feedback and rebuilt from it at start. */
  router: RouterLearner;
  /** Usage per hour and day, kept as records are booked, for the dashboard. */
  rollups: UsageRollups;
  /** Connected when TOLLGATE_REDIS_URL is set: the state every instance shares. */
  redis: SharedRedis | null;
  /** With Redis: budgets every instance reads and holds against (spend seeded from each instance's ledger). */
  sharedBudgets: SharedBudgets | null;
  /** With Redis: semantic cache entries every instance matches (announced on the state bus once it runs). */
  sharedSemantic: SharedSemanticEntries | null;
  /** Responses API responses kept for previous_response_id: on this instance's disk, and in Redis when it is set. */
  responses: ResponseStore;
  /** Set by TOLLGATE_DATABASE_URL: the ledger shipped to PostgreSQL. */
  ledgerDb: LedgerDatabase | null;
  /** The records usage is summed from: every instance's from PostgreSQL when it is set, else this instance's ledger. */
  usageRecords(range: { from?: string | undefined; to?: string | undefined }): AsyncIterable<LedgerRecord>;
  /** The latest feedback per request arrived on or after `from`'s day: every instance's with PostgreSQL, else this instance's. */
  usageFeedback(from?: string): Promise<Map<string, FeedbackRecord>>;
  /** `limiter` replaces the local one (a request's view of the shared limits). */
  resolver(health: CircuitBreakers, limiter?: RateWindows): DynamicFactResolver;
  /** Books a request in the ledger, the spend totals and the metrics; `then` sends the answer once the record is written. */
  record(record: LedgerRecord, then: () => void): void;
  close(): Promise<void>;
}

export interface RuntimeStateOptions {
  config: AppConfig;
  log: Logger;
  providers: ProvidersConfig;
  /** TOLLGATE_REDIS_URL and TOLLGATE_DATABASE_URL are read from it. */
  env: Record<string, string | undefined>;
}

export async function createRuntimeState({ config, log, providers: providersConfig, env }: RuntimeStateOptions): Promise<RuntimeState> {
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
  const metrics = new Metrics();
  const databaseUrl = env.TOLLGATE_DATABASE_URL?.trim() ? checkServiceUrl('TOLLGATE_DATABASE_URL', env.TOLLGATE_DATABASE_URL.trim(), ['postgres:', 'postgresql:']) : null;
  const redisUrl = env.TOLLGATE_REDIS_URL?.trim() ? checkServiceUrl('TOLLGATE_REDIS_URL', env.TOLLGATE_REDIS_URL.trim(), ['redis:', 'rediss:']) : null;
  const redis = redisUrl ? await connectRedis({ url: redisUrl, log, metrics: new RedisMetrics(metrics.registry) }) : null;
  const sharedBudgets = redis
    ? new SharedBudgets({ redis, spend, local: book, limits: budgets, instance: instanceId(config.dataDir), failMode: config.budgetFailMode })
    : null;
  if (redis?.connected) await sharedBudgets?.seed();
  const localCache = responseCacheFromConfig(config, { onFault: (fault) => log.warn(fault, 'semantic cache index worker: lookups miss until it answers') });
  const sharedSemantic = redis ? new SharedSemanticEntries({ redis, local: localCache }) : null;
  const cache = redis ? createRedisResponseCache({ redis, local: localCache, ...(sharedSemantic ? { semantic: sharedSemantic } : {}) }) : localCache;
  const ownResponses = LocalResponseStore.open({ dir: path.join(config.dataDir, 'responses'), maxBytes: sizeSetting(config.responsesDiskBytes, 'TOLLGATE_RESPONSES_DISK_BYTES'), keepMs: config.responsesKeepDays * DAY_MS, ownerShare: config.responsesKeyShare, log });
  const responses = redis ? createRedisResponseStore({ redis, local: ownResponses }) : ownResponses;
  metrics.watchKeptResponses(() => ownResponses.stats);
  const recent = new RecentRequests();
  const feedback = new FeedbackLedger(ledgerDir);
  // A verdict on a cached answer moves the threshold of the entry that served it (score ≥ 0.5 counts as right).
  feedback.subscribe((r) => {
    if (r.cache === 'hit') cache.recordHitOutcome(r.requestId, r.score >= 0.5);
  });
  const now = Date.now();
  const scores = await feedback.latestByRequest(new Date(now - ROLLUP_DAYS * DAY_MS).toISOString());
  const router = RouterLearner.rebuild([...scores.values()].map(routerOutcome).filter((o) => o !== null));
  feedback.subscribe((r) => {
    const outcome = routerOutcome(r);
    if (outcome) router.observe(outcome);
  });
  const rollups = await UsageRollups.rebuild({ ledgerDir, now, scores, onSkip: () => {} });
  const ledgerDb = databaseUrl ? await openLedgerDatabase({ url: databaseUrl, dir: ledgerDir, log, registry: metrics.registry }) : null;

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
    router,
    rollups,
    redis,
    sharedBudgets,
    sharedSemantic,
    responses,
    ledgerDb,
    usageRecords: (range) => (ledgerDb ? fromDatabase(ledgerDb, range) : readLedger(ledgerDir, { ...range, onSkip: () => {} })),
    usageFeedback: (from) => (ledgerDb ? ledgerDb.latestFeedback(from) : feedback.latestByRequest(from)),
    resolver: (health, shared) => dynamicFactResolver({ book, limiter: shared ?? limiter, health, router }),
    record: (record, then) => {
      spend.add(record);
      today.add(record);
      sharedBudgets?.add(record);
      metrics.observe(record);
      recent.remember(record);
      rollups.add(record);
      ledger.appendThen(record, then);
    },
    close: async () => {
      ledger.close();
      await ledgerDb?.close();
      await providers.close();
      await cache.close();
      await responses.close();
      await redis?.close();
    },
  };
}

/** Names this instance's share of the shared spend: the same machine and data folder (the same ledger) keep the same name across restarts. */
function instanceId(dataDir: string): string {
  return createHash('sha256').update(`${hostname()}\0${path.resolve(dataDir)}`).digest('hex').slice(0, 16);
}

async function* fromDatabase(db: LedgerDatabase, range: { from?: string | undefined; to?: string | undefined }): AsyncGenerator<LedgerRecord> {
  await db.flush();
  yield* db.records(range);
}
