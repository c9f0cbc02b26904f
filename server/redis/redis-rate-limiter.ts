import { randomBytes } from 'node:crypto';
import type { RequestFacts } from '../../shared/facts.js';
import type { RateFactParams } from '../../shared/nodes/rate-limit.js';
import type { RuleFile } from '../../shared/rule-file.js';
import type { DynamicFactResolver } from '../engine/evaluator.js';
import type { RateWindows } from '../limits/rate-windows.js';
import { scopeKey } from '../limits/scope-key.js';
import { rateCandidates } from './rate-candidates.js';
import type { SharedRedis } from './redis-connection.js';
import { ADMIT_SCRIPT, REFUND_SCRIPT } from './rate-window-script.js';
import { RedisScript } from './redis-script.js';

const ADMIT = new RedisScript(ADMIT_SCRIPT);
const REFUND = new RedisScript(REFUND_SCRIPT);

export type FailMode = 'open' | 'closed';

/** One request's view of the shared limits: answers admitted before its decision, sync from then on. */
export interface RequestRates extends RateWindows {
  /** The request's dynamic-fact resolver, reading `rateLimited` from this view. */
  resolve: DynamicFactResolver;
  /** Refunds the limits admitted but not counted by the path taken; call once the plan is counted. */
  settle(): void;
}

export interface SharedRateAdmission {
  admit(input: { rules: RuleFile; facts: RequestFacts }): Promise<RequestRates>;
  /** The same answers without counting anything: for /v1/decide, which previews a decision. */
  peek(input: { rules: RuleFile; facts: RequestFacts }): Promise<RequestRates>;
}

export interface RedisRateLimiterOptions {
  redis: SharedRedis;
  /** When Redis fails: `open` admits (the default: a rate limit protects capacity, not money), `closed` refuses. */
  failMode?: FailMode;
  /** Builds the per-request resolver around its view (the other dynamic facts stay as they are). */
  resolverFor(windows: RateWindows): DynamicFactResolver;
  windowMs?: number;
  prefix?: string;
}

interface Admitted {
  params: RateFactParams;
  key: string;
  limited: boolean;
  /** Counted in Redis by the admission; refunded at settle unless the path counts it too. */
  held: boolean;
  confirmed: boolean;
}

const limitId = (params: RateFactParams, key: string) => `${params.rpm}/${params.tpm}|${key}`;

/**
 * Rate limits shared by every instance through Redis, exact and atomic: before a request's
 * decision, one script call checks and counts it on every limit its policy may ask about;
 * the ones its path does not count are refunded after (briefly over-counting, never
 * under-counting, so the limit can only err towards refusing).
 */
export class RedisRateLimiter implements SharedRateAdmission {
  private readonly redis: SharedRedis;
  private readonly failMode: FailMode;
  private readonly resolverFor: RedisRateLimiterOptions['resolverFor'];
  private readonly windowMs: number;
  private readonly prefix: string;
  /** Unique per process, so members of different instances never collide. */
  private readonly instance = randomBytes(6).toString('hex');
  private seq = 0;

  constructor(options: RedisRateLimiterOptions) {
    this.redis = options.redis;
    this.failMode = options.failMode ?? 'open';
    this.resolverFor = options.resolverFor;
    this.windowMs = options.windowMs ?? 60_000;
    this.prefix = options.prefix ?? 'tg:rate:';
  }

  admit(input: { rules: RuleFile; facts: RequestFacts }): Promise<RequestRates> {
    return this.check(input, '0');
  }

  async peek(input: { rules: RuleFile; facts: RequestFacts }): Promise<RequestRates> {
    const view = await this.check(input, '2');
    // Nothing was held, and a preview counts nothing.
    return { ...view, count: () => {}, settle: () => {} };
  }

  private async check({ rules, facts }: { rules: RuleFile; facts: RequestFacts }, mode: '0' | '2'): Promise<RequestRates> {
    const tokens = Math.max(0, facts.promptTokens + facts.maxTokens);
    const member = `${this.instance}:${++this.seq}:${tokens}`;
    const limits: Admitted[] = rateCandidates(rules).map((params) => ({ params, key: scopeKey(params.scope, facts), limited: false, held: false, confirmed: false }));
    if (limits.length > 0) {
      try {
        const result = (await this.run(ADMIT, limits, [String(this.windowMs), member, mode, ...limits.flatMap((l) => [String(l.params.rpm), String(l.params.tpm), String(tokens)])])) as number[];
        limits.forEach((l, i) => {
          l.limited = result[i] === 1;
          l.held = mode === '0' && !l.limited;
        });
      } catch (error) {
        this.redis.failed('rate.admit', this.failMode, error);
        return this.view(limits, { member, tokens, redisDown: true });
      }
    }
    return this.view(limits, { member, tokens, redisDown: false });
  }

  /** What a gate does while Redis is away: its own `whenRedisDown`, else this instance's setting. */
  private refusesWhenDown(params: RateFactParams): boolean {
    return (params.whenRedisDown ?? this.failMode) === 'closed';
  }

  private view(limits: Admitted[], request: { member: string; tokens: number; redisDown: boolean }): RequestRates {
    const byId = new Map(limits.map((l) => [limitId(l.params, l.key), l]));
    const windows: RateWindows = {
      // Asked with the gate's own params, so two gates on one limit may still choose differently.
      isLimited: (params, key) => (request.redisDown ? this.refusesWhenDown(params) : (byId.get(limitId(params, key))?.limited ?? this.refusesWhenDown(params))),
      count: (params, key) => {
        const known = byId.get(limitId(params, key));
        if (known?.held) {
          known.confirmed = true;
          return;
        }
        // A count the admission did not foresee (a policy that counts without asking): book it unchecked.
        const extra: Admitted = { params, key, limited: false, held: false, confirmed: true };
        this.run(ADMIT, [extra], [String(this.windowMs), request.member, '1', String(params.rpm), String(params.tpm), String(request.tokens)]).catch((error) =>
          this.redis.failed('rate.count', 'open', error),
        );
      },
    };
    return {
      ...windows,
      resolve: this.resolverFor(windows),
      settle: () => {
        const refunds = limits.filter((l) => l.held && !l.confirmed);
        for (const l of refunds) l.held = false;
        if (refunds.length === 0) return;
        this.run(REFUND, refunds, [request.member, String(request.tokens)]).catch((error) => this.redis.failed('rate.refund', 'open', error));
      },
    };
  }

  private run(script: RedisScript, limits: readonly Admitted[], args: string[]): Promise<unknown> {
    const keys = limits.flatMap((l) => {
      const id = `${this.prefix}${limitId(l.params, l.key)}`;
      return [`${id}:z`, `${id}:t`];
    });
    return script.run(this.redis.client, keys, args);
  }
}
