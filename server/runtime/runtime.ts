import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CacheAction } from '../../shared/decision.js';
import { CacheParamsSchema } from '../../shared/nodes/cache.js';
import { formatUsd } from '../../shared/cost.js';
import type { PricingTable } from '../../shared/pricing.js';
import { DEFAULT_PRICING, mergePricing, PricingTableSchema } from '../../shared/pricing.js';
import { CaptureStore } from '../capture/capture-store.js';
import type { AppConfig } from '../config.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { Headers } from '../http/json-response.js';
import { HttpError } from '../http/openai-error.js';
import type { Logger } from '../log.js';
import { DraftStore } from '../policies/draft-store.js';
import type { LivePolicy } from '../policies/policy-store.js';
import { PolicyStore } from '../policies/policy-store.js';
import { Publisher } from '../policies/publisher.js';
import { VersionHistory } from '../policies/version-history.js';
import type { Usage } from '../providers/provider.js';
import { AlertSender } from './alerts.js';
import type { Costing } from './chat-outcome.js';
import type { Exchange } from './handle-chat.js';
import { ProviderHealth } from './provider-health.js';
import type { Served } from './send-answer.js';
import { createRuntimeState, type RuntimeState } from './runtime-state.js';

const CACHE_DEFAULTS = CacheParamsSchema.parse({});

export interface Outcome {
  status: number;
  served: Served | null;
  usage: Usage | null;
  cache: 'hit' | 'miss' | 'bypass';
  attempts: number;
  cost?: Costing;
  error?: string;
}

async function loadPricing(file: string | undefined): Promise<PricingTable> {
  if (!file) return DEFAULT_PRICING;
  const override = PricingTableSchema.partial().parse(JSON.parse(await readFile(file, 'utf8')));
  return mergePricing(DEFAULT_PRICING, override);
}

/**
 * The runtime's long-lived parts, built once at start: policies, providers, cache, limits,
 * ledger. Handlers read from it; nothing in it is rebuilt per request.
 */
export class Runtime {
  readonly health = new ProviderHealth();
  readonly alerts: AlertSender;
  readonly publisher: Publisher;
  readonly resolve: DynamicFactResolver;
  readonly capture: CaptureStore;

  private constructor(
    readonly config: AppConfig,
    readonly log: Logger,
    readonly pricing: PricingTable,
    readonly store: PolicyStore,
    readonly drafts: DraftStore,
    readonly history: VersionHistory,
    readonly state: RuntimeState,
    env: Record<string, string | undefined>,
  ) {
    this.alerts = new AlertSender(log, env);
    this.publisher = new Publisher(store, history, drafts, () => this.pricing);
    this.resolve = state.resolver(this.health);
    this.capture = CaptureStore.fromEnv(config.dataDir, env, log);
  }

  static async create(config: AppConfig, log: Logger, env: Record<string, string | undefined>): Promise<Runtime> {
    const pricing = await loadPricing(config.pricingFile);
    const store = new PolicyStore(config.rulesDir, log);
    await store.loadAll();
    if (config.watchRules) store.watch();
    const drafts = await DraftStore.open(config.dataDir);
    const history = new VersionHistory(path.join(config.dataDir, 'versions'));
    const state = await createRuntimeState(config, log, env);
    if (!store.get(config.defaultPolicy)) log.warn({ policy: config.defaultPolicy }, 'the default policy is not in the rules folder; requests must name one');
    return new Runtime(config, log, pricing, store, drafts, history, state, env);
  }

  get providers() {
    return this.state.providers;
  }
  get cache() {
    return this.state.cache;
  }
  get limiter() {
    return this.state.limiter;
  }

  policyFor(header: string | undefined): LivePolicy {
    const id = header?.trim() || this.config.defaultPolicy;
    const policy = this.store.get(id);
    if (policy) return policy;
    const known = this.store.list().filter((s) => s.live).map((s) => s.id);
    throw new HttpError(
      404,
      `Unknown policy "${id}"${header ? '' : ' (the default)'}; known policies: ${known.join(', ') || 'none'}`,
      'not_found_error',
      'x-tollgate-policy',
      'policy_not_found',
    );
  }

  /** A cache-only degrade with no cache node on its path reads the cache as a Cache node with default settings would. */
  defaultCacheAction(node: string): CacheAction {
    return { type: 'cache', node, ...CACHE_DEFAULTS };
  }

  /** The `x-tollgate-*` headers that say what happened to a request. */
  decisionHeaders(exchange: Exchange, served: { model: string | null; provider?: string; cache: string; costUsd: number }): Headers {
    const headers: Headers = {
      'x-tollgate-request-id': exchange.id,
      'x-tollgate-policy': exchange.policy.id,
      'x-tollgate-policy-version': String(exchange.policy.ruleFile.policy.version),
      'x-tollgate-rule': exchange.rule.name,
      'x-tollgate-cache': served.cache,
      'x-tollgate-cost-usd': formatUsd(served.costUsd),
    };
    if (served.model) headers['x-tollgate-model'] = served.model;
    if (served.provider) headers['x-tollgate-provider'] = served.provider;
    return headers;
  }

  /**
   * Books one request (ledger, spend, metrics), then calls `send`: the answer goes out only
   * once its record is in the ledger, so an acknowledged request survives a crash.
   */
  record(exchange: Exchange, outcome: Outcome, send: () => void): void {
    const { facts, plan, policy, rule } = exchange;
    const usage = outcome.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    const record = {
      id: exchange.id,
      time: new Date().toISOString(),
      policy: policy.id,
      policyVersion: policy.ruleFile.policy.version,
      rule: rule.name,
      requestedModel: exchange.request.model,
      servedModel: outcome.served?.model ?? null,
      provider: outcome.served?.provider ?? null,
      tags: plan.tags,
      serviceKey: facts.serviceKey,
      user: facts.user,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      costUsd: outcome.cost?.costUsd ?? 0,
      savedUsd: outcome.cost?.savedUsd ?? 0,
      cache: outcome.cache,
      latencyMs: Math.round((performance.now() - exchange.started) * 100) / 100,
      status: outcome.status,
      stream: facts.stream,
      attempts: outcome.attempts,
      ...(outcome.error ? { error: outcome.error } : {}),
    };
    this.state.record(record, send);
    this.capture.offer(exchange, record);
  }

  async close(): Promise<void> {
    this.store.close();
    await this.capture.close();
    await this.state.close();
  }
}
