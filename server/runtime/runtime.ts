import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { usdToMicros } from '../../shared/cost.js';
import { PolicyIdSchema } from '../../shared/graph.js';
import type { PricingTable } from '../../shared/pricing.js';
import { DEFAULT_PRICING, mergePricing, PricingTableSchema } from '../../shared/pricing.js';
import { BacktestJobs } from '../backtest/backtest-jobs.js';
import { captureDirOf } from '../capture/capture-files.js';
import { CaptureStore } from '../capture/capture-store.js';
import { loadKeySecret } from '../keys/key-secret.js';
import type { BatchLane } from '../batch/batch-lane.js';
import { openBatchLane } from '../batch/open-batch-lane.js';
import { completeKept } from '../responses/background-turn.js';
import type { AppConfig } from '../config.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import type { Logger } from '../log.js';
import { DraftStore } from '../policies/draft-store.js';
import type { LivePolicy } from '../policies/policy-store.js';
import { PolicyStore } from '../policies/policy-store.js';
import { namedProviderPrices } from '../providers/named-providers.js';
import { providersConfigFromEnv, type ProvidersConfig } from '../providers/providers-config.js';
import { Publisher } from '../policies/publisher.js';
import { warnAboutLoadedPolicies } from '../policies/startup-warnings.js';
import { VersionHistory } from '../policies/version-history.js';
import { AlertSender } from './alerts.js';
import { AlertFeed } from '../alerts/alert-feed.js';
import { checkAnomalies, everyInterval } from '../alerts/anomaly-alerts.js';
import { breakerAlerts } from '../alerts/breaker-alerts.js';
import type { AlertEntry } from '../../shared/alerts-api.js';
import { checkBudgets } from '../alerts/budget-alerts.js';
import { budgetsOf } from '../limits/policy-budgets.js';
import type { ChatDeps } from './chat-deps.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { createRuntimeState, type RuntimeState } from './runtime-state.js';
import { PolicyBus } from '../redis/policy-bus.js';
import { sharedAlertClaims } from '../redis/shared-alert-claims.js';
import { sharedVersions } from '../redis/policy-versions.js';
import { RedisRateLimiter } from '../redis/redis-rate-limiter.js';
import { workerSchemaChecker, type SchemaChecker } from '../routing/schema-checker.js';
import { workerTokenCounter, type TokenCounter } from '../facts/token-counter.js';
import { adoptBreakers, announceBreakers } from '../redis/shared-breakers.js';
import { shareBudgetOverrides } from '../redis/shared-budget-overrides.js';
import { StateBus } from '../redis/state-bus.js';
import { SharedRouterOutcomes } from '../redis/shared-router-outcomes.js';
import { routerOutcome } from '../feedback/router-outcome.js';

/** Built-in prices, then the named providers' own, then the pricing file, which wins. */
async function loadPricing(file: string | undefined, providers: ProvidersConfig): Promise<PricingTable> {
  const base = providers.named.length > 0 ? mergePricing(DEFAULT_PRICING, { models: namedProviderPrices(providers.named) }) : DEFAULT_PRICING;
  if (!file) return base;
  const override = PricingTableSchema.partial().parse(JSON.parse(await readFile(file, 'utf8')));
  return mergePricing(base, override);
}

interface RuntimeParts {
  config: AppConfig;
  log: Logger;
  pricing: PricingTable;
  store: PolicyStore;
  drafts: DraftStore;
  history: VersionHistory;
  state: RuntimeState;
  env: Record<string, string | undefined>;
  bus: PolicyBus | null;
  stateBus: StateBus | null;
  providers: ProvidersConfig;
  /** What captured requests' redaction marks are salted with. */
  redactionSalt: Buffer;
}

/**
 * The runtime's long-lived parts, built once at start: policies, providers, cache, limits,
 * ledger. It wires them together and hands each surface what it needs (`chat` for the
 * request path); nothing in it is rebuilt per request.
 */
export class Runtime {
  readonly config: AppConfig;
  readonly log: Logger;
  readonly pricing: PricingTable;
  readonly store: PolicyStore;
  readonly drafts: DraftStore;
  readonly history: VersionHistory;
  readonly state: RuntimeState;
  /** Per provider and model, behind the `providerHealthy` fact. */
  readonly health: CircuitBreakers;
  readonly alerts: AlertSender;
  /** Budget, anomaly and breaker alerts posted to TOLLGATE_ALERT_WEBHOOK, listed by `GET /api/alerts`. */
  readonly alertFeed: AlertFeed;
  readonly publisher: Publisher;
  /** With Redis: publishes reach every instance. */
  private readonly bus: PolicyBus | null;
  /** With Redis: breaker transitions and key revocations reach every instance. */
  readonly stateBus: StateBus | null;
  readonly resolve: DynamicFactResolver;
  /** Exactly what answering a chat completion needs. */
  readonly chat: ChatDeps;
  /** Redacted requests of policies with capture on, for backtests. */
  readonly capture: CaptureStore;
  /** Backtests running or finished in this process; a publish may cite one. */
  readonly backtests = new BacktestJobs();
  readonly batch: BatchLane;
  private readonly anomalyWatch: { stop(): void };
  private readonly schemaCheck: SchemaChecker;
  private readonly tokens: TokenCounter;

  private constructor(parts: RuntimeParts) {
    ({ config: this.config, log: this.log, pricing: this.pricing, store: this.store, drafts: this.drafts, history: this.history, state: this.state } = parts);
    this.stateBus = parts.stateBus;
    const breakers = { failures: this.config.breakerFailures, windowMs: this.config.breakerWindowMs, openMs: this.config.breakerOpenMs };
    this.alertFeed = new AlertFeed({ env: parts.env, file: path.join(this.config.dataDir, 'alerts.json'), ...(parts.state.redis ? { claim: sharedAlertClaims(parts.state.redis) } : {}) });
    this.health = new CircuitBreakers({ ...breakers, onTransition: breakerAlerts(this.alertFeed, this.stateBus ? announceBreakers(this.stateBus) : undefined) });
    if (this.stateBus) adoptBreakers(this.stateBus, this.health);
    this.alerts = new AlertSender(parts.log, parts.env);
    this.schemaCheck = workerSchemaChecker({ onFault: (fault) => this.log.warn(fault, 'schema check worker') });
    this.tokens = workerTokenCounter({ onFault: (fault) => this.log.warn(fault, 'token count worker') });
    this.anomalyWatch = everyInterval(this.config.anomalyCheckMs, () => void this.checkAnomalies(Date.now()).catch((error: Error) => this.log.warn({ error: error.message }, 'spend-anomaly check failed')));
    this.bus = parts.bus;
    const bus = this.bus;
    this.publisher = new Publisher({
      store: this.store,
      history: this.history,
      drafts: this.drafts,
      pricing: () => this.pricing,
      gitCommit: this.config.gitCommit,
      ...(bus ? { announce: (ruleFile, meta) => bus.announce(ruleFile, meta) } : {}),
      ...(this.state.redis ? { nextVersion: sharedVersions(this.state.redis) } : {}),
    });
    this.resolve = this.state.resolver(this.health);
    this.capture = CaptureStore.fromEnv(this.config.dataDir, parts.env, {
      log: parts.log,
      salt: parts.redactionSalt,
      database: this.state.ledgerDb?.captures(captureDirOf(this.config.dataDir)),
    });
    const redis = this.state.redis;
    const sharedRates = redis
      ? new RedisRateLimiter({ redis, failMode: this.config.rateLimitFailMode, resolverFor: (windows) => this.state.resolver(this.health, windows) })
      : undefined;
    // Provider errors arrive redacted; this catches any other text that quotes an upstream.
    const record = (entry: LedgerRecord, then: () => void) => {
      this.state.record(entry.error ? { ...entry, error: this.state.providers.redact(entry.error) } : entry, then);
      const ruleFile = this.store.get(entry.policy)?.ruleFile;
      const budgets = ruleFile ? budgetsOf(ruleFile) : [];
      if (!ruleFile || budgets.length === 0) return;
      const now = Date.now();
      const shared = this.state.sharedBudgets;
      if (!shared) return checkBudgets({ feed: this.alertFeed, book: this.state.book, budgets, record: entry, now });
      // Read after this record's spend on the same connection, so the total includes it.
      void shared.spent({ rules: ruleFile, subject: entry, now }).then((view) => checkBudgets({ feed: this.alertFeed, book: view ?? this.state.book, budgets, record: entry, now }));
    };
    // Batch answers are booked as they arrive, long after their request: there is no exchange to capture.
    this.batch = openBatchLane({
      config: this.config,
      log: this.log,
      providers: parts.providers,
      state: this.state,
      pricing: this.pricing,
      env: parts.env,
      book: (entry, then) => record(entry, then),
      settled: (job) => void completeKept(job, this.state.responses).catch((error: unknown) => this.log.warn({ err: error, job: job.job.id }, 'completing a kept background response failed; it is completed when next read here')),
    });
    this.chat = {
      policyFor: (header) => this.policyFor(header),
      pricing: this.pricing,
      resolve: this.resolve,
      limiter: this.state.limiter,
      sharedRates,
      alerts: this.alerts,
      cache: this.state.cache,
      providers: this.state.providers,
      health: this.health,
      book: (entry, then, exchange) => {
        record(entry, then);
        // Backtests replay chat completions; an embeddings call is not one.
        if (exchange.api !== 'embeddings') this.capture.offer(exchange, entry);
      },
      budgets: this.state.book,
      sharedBudgets: this.state.sharedBudgets ?? undefined,
      router: this.state.router,
      batch: this.batch,
      schemaCheck: this.schemaCheck,
      tokens: this.tokens,
    };
  }

  static async create(config: AppConfig, log: Logger, env: Record<string, string | undefined>): Promise<Runtime> {
    const providers = providersConfigFromEnv(env);
    const pricing = await loadPricing(config.pricingFile, providers);
    const store = new PolicyStore(config.rulesDir, log);
    await store.loadAll();
    if (config.watchRules) store.watch();
    const drafts = await DraftStore.open(config.dataDir);
    const history = new VersionHistory(path.join(config.dataDir, 'versions'));
    const state = await createRuntimeState({ config, log, providers, env });
    const bus = state.redis ? await PolicyBus.start({ redis: state.redis, store, log, history }) : null;
    const stateBus = state.redis ? await StateBus.start(state.redis) : null;
    if (stateBus) state.sharedSemantic?.attach(stateBus);
    if (stateBus) await shareBudgetOverrides({ bus: stateBus, overrides: state.budgets, log });
    if (stateBus) await shareRouterOutcomes(stateBus, state);
    if (!store.get(config.defaultPolicy)) log.warn({ policy: config.defaultPolicy }, 'the default policy is not in the rules folder; requests must name one');
    warnAboutLoadedPolicies({ store, providers: state.providers, pricing, log });
    // Keyed by the service-key secret, so instances sharing it (and restarts) redact a value to the same mark.
    const redactionSalt = createHmac('sha256', await loadKeySecret(config.dataDir, env)).update('tollgate-capture-redaction').digest();
    return new Runtime({ config, log, pricing, store, drafts, history, state, env, bus, stateBus, providers, redactionSalt });
  }

  /**
   * One spend-anomaly check over the rollups (the timer runs it every TOLLGATE_ANOMALY_CHECK_MS);
   * the alerts raised. With PostgreSQL, over every instance's spend, as the dashboard shows it.
   */
  async checkAnomalies(now: number): Promise<AlertEntry[]> {
    const rollups = this.state.ledgerDb ? await this.state.ledgerDb.sharedRollups() : this.state.rollups;
    return checkAnomalies({ feed: this.alertFeed, rollups, now, scan: { minRiseMicros: usdToMicros(this.config.anomalyMinUsd) } });
  }

  policyFor(header: string | undefined): LivePolicy {
    const id = header?.trim() || this.config.defaultPolicy;
    const policy = this.store.get(id);
    if (policy) return policy;
    // Checked only on a miss: a live policy's id passed the same schema when its file loaded.
    if (!PolicyIdSchema.safeParse(id).success) {
      throw new HttpError({
        status: 400,
        message: `"${id.slice(0, 64)}" is not a policy id: use lowercase letters, digits and "-"`,
        field: 'x-tollgate-policy',
        code: 'invalid_policy_id',
      });
    }
    const known = this.store.list().filter((s) => s.live).map((s) => s.id);
    throw new HttpError({
      status: 404,
      message: `Unknown policy "${id}"${header ? '' : ' (the default)'}; known policies: ${known.join(', ') || 'none'}`,
      type: 'not_found_error',
      field: 'x-tollgate-policy',
      code: 'policy_not_found',
    });
  }

  async close(): Promise<void> {
    this.anomalyWatch.stop();
    this.store.close();
    await this.capture.close();
    await this.bus?.close();
    await this.stateBus?.close();
    this.batch.close();
    await this.schemaCheck.close();
    await this.tokens.close();
    await this.state.close();
    await this.alertFeed.flush();
  }
}

/** Feedback booked here moves the router on every instance; outcomes booked elsewhere move it here. */
async function shareRouterOutcomes(bus: StateBus, state: RuntimeState): Promise<void> {
  const shared = await SharedRouterOutcomes.start({ bus, learner: state.router });
  state.feedback.subscribe((r) => {
    const outcome = routerOutcome(r);
    if (outcome) shared.share(outcome);
  });
}
