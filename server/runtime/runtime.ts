import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PricingTable } from '../../shared/pricing.js';
import { DEFAULT_PRICING, mergePricing, PricingTableSchema } from '../../shared/pricing.js';
import type { AppConfig } from '../config.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import { HttpError } from '../errors/http-error.js';
import type { Logger } from '../log.js';
import { DraftStore } from '../policies/draft-store.js';
import type { LivePolicy } from '../policies/policy-store.js';
import { PolicyStore } from '../policies/policy-store.js';
import { Publisher } from '../policies/publisher.js';
import { VersionHistory } from '../policies/version-history.js';
import { AlertSender } from './alerts.js';
import type { ChatDeps } from './chat-deps.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { createRuntimeState, type RuntimeState } from './runtime-state.js';
import { PolicyBus } from '../redis/policy-bus.js';
import { RedisRateLimiter } from '../redis/redis-rate-limiter.js';
import { adoptBreakers, announceBreakers } from '../redis/shared-breakers.js';
import { StateBus } from '../redis/state-bus.js';

async function loadPricing(file: string | undefined): Promise<PricingTable> {
  if (!file) return DEFAULT_PRICING;
  const override = PricingTableSchema.partial().parse(JSON.parse(await readFile(file, 'utf8')));
  return mergePricing(DEFAULT_PRICING, override);
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
  readonly publisher: Publisher;
  /** With Redis: publishes reach every instance. */
  private readonly bus: PolicyBus | null;
  /** With Redis: breaker transitions and key revocations reach every instance. */
  readonly stateBus: StateBus | null;
  readonly resolve: DynamicFactResolver;
  /** Exactly what answering a chat completion needs. */
  readonly chat: ChatDeps;

  private constructor(parts: RuntimeParts) {
    ({ config: this.config, log: this.log, pricing: this.pricing, store: this.store, drafts: this.drafts, history: this.history, state: this.state } = parts);
    this.stateBus = parts.stateBus;
    const breakers = { failures: this.config.breakerFailures, windowMs: this.config.breakerWindowMs, openMs: this.config.breakerOpenMs };
    this.health = new CircuitBreakers(this.stateBus ? { ...breakers, onTransition: announceBreakers(this.stateBus) } : breakers);
    if (this.stateBus) adoptBreakers(this.stateBus, this.health);
    this.alerts = new AlertSender(parts.log, parts.env);
    this.bus = parts.bus;
    const bus = this.bus;
    this.publisher = new Publisher({ store: this.store, history: this.history, drafts: this.drafts, pricing: () => this.pricing, ...(bus ? { announce: (ruleFile) => bus.announce(ruleFile) } : {}) });
    this.resolve = this.state.resolver(this.health);
    const redis = this.state.redis;
    const sharedRates = redis
      ? new RedisRateLimiter({ redis, failMode: this.config.rateLimitFailMode, resolverFor: (windows) => this.state.resolver(this.health, windows) })
      : undefined;
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
      book: (record, then) => this.state.record(record, then),
    };
  }

  static async create(config: AppConfig, log: Logger, env: Record<string, string | undefined>): Promise<Runtime> {
    const pricing = await loadPricing(config.pricingFile);
    const store = new PolicyStore(config.rulesDir, log);
    await store.loadAll();
    if (config.watchRules) store.watch();
    const drafts = await DraftStore.open(config.dataDir);
    const history = new VersionHistory(path.join(config.dataDir, 'versions'));
    const state = await createRuntimeState(config, log, env);
    const bus = state.redis ? await PolicyBus.start({ redis: state.redis, store, log }) : null;
    const stateBus = state.redis ? await StateBus.start(state.redis) : null;
    if (!store.get(config.defaultPolicy)) log.warn({ policy: config.defaultPolicy }, 'the default policy is not in the rules folder; requests must name one');
    return new Runtime({ config, log, pricing, store, drafts, history, state, env, bus, stateBus });
  }

  policyFor(header: string | undefined): LivePolicy {
    const id = header?.trim() || this.config.defaultPolicy;
    const policy = this.store.get(id);
    if (policy) return policy;
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
    this.store.close();
    await this.bus?.close();
    await this.stateBus?.close();
    await this.state.close();
  }
}
