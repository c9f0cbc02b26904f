import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PolicyIdSchema } from '../../shared/graph.js';
import type { PricingTable } from '../../shared/pricing.js';
import { DEFAULT_PRICING, mergePricing, PricingTableSchema } from '../../shared/pricing.js';
import type { BatchLane } from '../batch/batch-lane.js';
import { openBatchLane } from '../batch/open-batch-lane.js';
import type { AppConfig } from '../config.js';
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
import type { ChatDeps } from './chat-deps.js';
import { CircuitBreakers } from './circuit-breaker.js';
import { createRuntimeState, type RuntimeState } from './runtime-state.js';

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
  providers: ProvidersConfig;
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
  readonly resolve: DynamicFactResolver;
  /** Exactly what answering a chat completion needs. */
  readonly chat: ChatDeps;
  readonly batch: BatchLane;

  private constructor(parts: RuntimeParts) {
    ({ config: this.config, log: this.log, pricing: this.pricing, store: this.store, drafts: this.drafts, history: this.history, state: this.state } = parts);
    this.health = new CircuitBreakers({ failures: this.config.breakerFailures, windowMs: this.config.breakerWindowMs, openMs: this.config.breakerOpenMs });
    this.alerts = new AlertSender(parts.log, parts.env);
    this.publisher = new Publisher({ store: this.store, history: this.history, drafts: this.drafts, pricing: () => this.pricing, gitCommit: this.config.gitCommit });
    this.resolve = this.state.resolver(this.health);
    // Provider errors arrive redacted; this catches any other text that quotes an upstream.
    const book: ChatDeps['book'] = (record, then) => this.state.record(record.error ? { ...record, error: this.state.providers.redact(record.error) } : record, then);
    this.batch = openBatchLane({ config: this.config, log: this.log, providers: parts.providers, state: this.state, pricing: this.pricing, env: parts.env, book });
    this.chat = {
      policyFor: (header) => this.policyFor(header),
      pricing: this.pricing,
      resolve: this.resolve,
      limiter: this.state.limiter,
      alerts: this.alerts,
      cache: this.state.cache,
      providers: this.state.providers,
      health: this.health,
      book,
      budgets: this.state.book,
      batch: this.batch,
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
    const state = await createRuntimeState(config, log, providers);
    if (!store.get(config.defaultPolicy)) log.warn({ policy: config.defaultPolicy }, 'the default policy is not in the rules folder; requests must name one');
    warnAboutLoadedPolicies({ store, providers: state.providers, pricing, log });
    return new Runtime({ config, log, pricing, store, drafts, history, state, env, providers });
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
    this.store.close();
    this.batch.close();
    await this.state.close();
  }
}
