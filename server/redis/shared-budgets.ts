import { randomBytes } from 'node:crypto';
import { usdToMicros } from '../../shared/cost.js';
import type { RequestFacts } from '../../shared/facts.js';
import type { BudgetFactParams } from '../../shared/nodes/budget.js';
import type { RuleFile } from '../../shared/rule-file.js';
import { HttpError } from '../errors/http-error.js';
import { costMicrosOf, type LedgerRecord } from '../ledger/ledger-record.js';
import type { Admitted } from '../limits/budget-admission.js';
import type { BudgetBook, BudgetLimits, BudgetUsage, BudgetView } from '../limits/budget-fact.js';
import { pathBudgets } from '../limits/budget-gates.js';
import type { Reservation } from '../limits/budget-reservations.js';
import { BUDGET_WINDOWS, periodId } from '../limits/budget-window.js';
import { scopeKey, type ScopeSubject } from '../limits/scope-key.js';
import type { RequestBudgets, SharedBudgetSource } from '../limits/shared-budget-admission.js';
import { spendKeys, taggedKey } from '../limits/spend-keys.js';
import type { SpendIndex } from '../limits/spend-index.js';
import { budgetCandidates } from './budget-candidates.js';
import type { SharedRedis } from './redis-connection.js';
import { RedisScript } from './redis-script.js';
import { READ_SCRIPT, RELEASE_SCRIPT, RESERVE_SCRIPT, SPEND_SCRIPT } from './shared-budget-scripts.js';

const READ = new RedisScript(READ_SCRIPT);
const RESERVE = new RedisScript(RESERVE_SCRIPT);
const RELEASE = new RedisScript(RELEASE_SCRIPT);
const SPEND = new RedisScript(SPEND_SCRIPT);

export interface SharedBudgetsOptions {
  redis: SharedRedis;
  /** This instance's spend, rebuilt from its own ledger: its share in Redis is seeded from it on every (re)connect. */
  spend: SpendIndex;
  /** This instance's book: what the open fail mode admits against while Redis is away. */
  local: BudgetBook;
  limits?: BudgetLimits | undefined;
  /** Stable across restarts of the same instance (same ledger), so a re-seed replaces its share rather than adding to it. */
  instance: string;
  /** While Redis fails: `closed` refuses budgeted requests with a 503 (the default: a budget protects money), `open` admits under `local`. */
  failMode?: 'open' | 'closed';
  /** A hold not released by then (its instance died) is given back. Longer than the slowest request. */
  holdMs?: number;
  /** Spend totals are kept this long after their last booking; longer than the longest window (a month). */
  keepSpentMs?: number;
  prefix?: string;
}

/** The spend hash a scope key reads, and the one subtracted from it for an untagged scope (`tag:<k>=`). */
function spendHashes(key: string): { plus: string; minus: string | null } {
  const untagged = key.endsWith('=') ? /^tag:([^=]+)=$/.exec(key) : null;
  return untagged ? { plus: 'global', minus: taggedKey(untagged[1]!) } : { plus: key, minus: null };
}

/**
 * Budgets shared by every instance through Redis: spend per window and key (each instance's
 * share in its own hash field, seeded from its ledger), holds of requests in flight, and one
 * Lua script that checks every budget on a path and holds the estimate under all of them, so
 * two instances can never both take the last of a budget.
 */
export class SharedBudgets implements SharedBudgetSource {
  private readonly redis: SharedRedis;
  private readonly failMode: 'open' | 'closed';
  private readonly holdMs: number;
  private readonly keepSpentMs: number;
  private readonly prefix: string;
  private readonly holdPrefix = randomBytes(6).toString('hex');
  private seq = 0;

  constructor(private readonly options: SharedBudgetsOptions) {
    this.redis = options.redis;
    this.failMode = options.failMode ?? 'closed';
    this.holdMs = options.holdMs ?? 5 * 60_000;
    this.keepSpentMs = options.keepSpentMs ?? 40 * 86_400_000;
    this.prefix = options.prefix ?? 'tg:';
    // A Redis that restarted empty gets the scripts and this instance's spend back as soon as it is reachable.
    this.redis.client.on('ready', () => {
      this.loadScripts();
      void this.seed();
    });
    if (this.redis.connected) this.loadScripts();
  }

  /**
   * Loaded ahead of any use on this connection: a script run by SHA that Redis does not know is
   * retried after a round trip, which would let a later command (a release) overtake an earlier
   * one (the spend it follows).
   */
  private loadScripts(): void {
    for (const lua of [READ_SCRIPT, RESERVE_SCRIPT, RELEASE_SCRIPT, SPEND_SCRIPT]) {
      this.redis.client.script('LOAD', lua).catch((error: unknown) => this.redis.failed('budget.load', 'local', error));
    }
  }

  /** Writes this instance's share of every spend total it knows (its ledger's) into Redis, replacing what was there. */
  async seed(): Promise<void> {
    const pipeline = this.redis.client.pipeline();
    for (const { period, key, micros } of this.options.spend.totals()) {
      const hash = this.spendHash(period, key);
      pipeline.hset(hash, this.options.instance, micros).pexpire(hash, this.keepSpentMs);
    }
    if (pipeline.length === 0) return;
    const results = await pipeline.exec().catch((error: unknown) => [[error, null]] as [unknown, unknown][]);
    const failed = results?.find(([error]) => error);
    if (failed) this.redis.failed('budget.seed', 'local', failed[0]);
  }

  /** Adds a booked request's cost to its share of every total it counts under (as SpendIndex.add does locally). */
  add(record: LedgerRecord): void {
    const micros = costMicrosOf(record);
    const at = Date.parse(record.time);
    if (!(micros > 0) || Number.isNaN(at)) return;
    const keys = spendKeys(record);
    const hashes = BUDGET_WINDOWS.flatMap((window) => keys.map((key) => this.spendHash(periodId(window, at), key)));
    // Lost while Redis is away; the share is re-seeded from the ledger when it is back.
    SPEND.run(this.redis.client, hashes, [this.options.instance, micros, this.keepSpentMs]).catch((error) => this.redis.failed('budget.spend', 'local', error));
  }

  async view({ rules, facts, now }: { rules: RuleFile; facts: RequestFacts; now: number }): Promise<RequestBudgets> {
    const used = await this.readUsed({ rules, subject: facts, now, held: true, mode: this.failMode });
    return used ? this.viewOf(used, now) : this.unavailable();
  }

  /**
   * What every instance has booked (holds not counted) against each budget the policy can ask
   * about, for one booked record's scopes: the budget alerts read it, so a crossing made of
   * several instances' spend is seen. Null while Redis fails.
   */
  async spent({ rules, subject, now }: { rules: RuleFile; subject: ScopeSubject; now: number }): Promise<BudgetView | null> {
    const used = await this.readUsed({ rules, subject, now, held: false, mode: 'open' });
    return used ? this.viewOf(used, now).book : null;
  }

  private async readUsed(options: { rules: RuleFile; subject: ScopeSubject; now: number; held: boolean; mode: 'open' | 'closed' }): Promise<Map<string, number> | null> {
    const { rules, subject, now } = options;
    const budgets = budgetCandidates(rules).map(({ scope, window }) => ({ window, key: scopeKey(scope, subject) }));
    if (budgets.length === 0) return new Map();
    const keys: string[] = [];
    const args: string[] = [];
    for (const { window, key } of budgets) {
      const { plus, minus } = spendHashes(key);
      const period = periodId(window, now);
      keys.push(this.spendHash(period, plus), this.spendHash(period, minus ?? plus), this.heldKeys(key)[0]);
      args.push(minus ? '1' : '0');
    }
    let read: number[];
    try {
      read = ((await READ.run(this.redis.client, keys, args)) as (number | string)[]).map(Number);
    } catch (error) {
      this.redis.failed(options.held ? 'budget.read' : 'budget.alert-read', options.mode, error);
      return null;
    }
    return new Map(budgets.map((b, i) => [`${b.window}|${b.key}`, read[2 * i]! + (options.held ? read[2 * i + 1]! : 0)]));
  }

  /** A view on numbers read from Redis; its reservations are intents that `hold` makes real. */
  private viewOf(used: ReadonlyMap<string, number>, now: number): RequestBudgets {
    const book: BudgetView = {
      usage: (params, subject, at) => {
        const key = scopeKey(params.scope, subject);
        const shared = used.get(`${params.window}|${key}`);
        // Every budget of the policy was read; one that was not (none in practice) is answered from this instance.
        if (shared === undefined) return this.options.local.usage(params, subject, at);
        return { key, usedMicros: shared, limitMicros: this.limitMicros(params, key) };
      },
      reservations: { reserve: (_keys, micros) => ({ micros, release: () => {} }) },
    };
    return { book, hold: (admitted, facts) => this.hold(admitted, facts, now) };
  }

  /**
   * Redis failed the read: each gate answers by its own `whenRedisDown` (else this instance's
   * setting). An open one decides on this instance's book; a path through a closed one is refused.
   */
  private unavailable(): RequestBudgets {
    const book: BudgetView = {
      usage: (params, subject, at): BudgetUsage => {
        if (this.modeOf(params) === 'open') return this.options.local.usage(params, subject, at);
        const key = scopeKey(params.scope, subject);
        return { key, usedMicros: 0, limitMicros: this.limitMicros(params, key) };
      },
      reservations: this.options.local.reservations,
    };
    return {
      book,
      hold: async (admitted) => {
        if (!this.refusesWhenDown(admitted)) return admitted;
        admitted.reservation?.release();
        return this.refuse();
      },
    };
  }

  private modeOf(params: BudgetFactParams): 'open' | 'closed' {
    return params.whenRedisDown ?? this.failMode;
  }

  /** A path is refused while Redis is away when any budget it must fit under fails closed (a path with none: this instance's setting). */
  private refusesWhenDown(admitted: Admitted): boolean {
    const { gates } = pathBudgets(admitted.rule);
    if (gates.length === 0) return this.failMode === 'closed';
    return gates.some((gate) => this.modeOf(gate.params) === 'closed');
  }

  private async hold(admitted: Admitted, facts: RequestFacts, now: number): Promise<Admitted | null> {
    const micros = admitted.reservation!.micros;
    const { gates, scopes } = pathBudgets(admitted.rule);
    const scopeKeys = scopes.map((scope) => scopeKey(scope, facts));
    const held = scopeKeys.flatMap((key) => this.heldKeys(key));
    const keys = [...held];
    const args: (string | number)[] = [`${this.holdPrefix}:${++this.seq}`, micros, this.holdMs, scopeKeys.length];
    for (const gate of gates) {
      const key = scopeKey(gate.params.scope, facts);
      const { plus, minus } = spendHashes(key);
      const period = periodId(gate.params.window, now);
      keys.push(this.spendHash(period, plus), this.spendHash(period, minus ?? plus));
      const cap = Math.floor((this.limitMicros(gate.params, key) * gate.thresholdPct) / 100);
      args.push(cap, scopes.indexOf(gate.params.scope) + 1, minus ? '1' : '0');
    }
    let over: number;
    try {
      over = Number(await RESERVE.run(this.redis.client, keys, args));
    } catch (error) {
      const refused = this.refusesWhenDown(admitted);
      this.redis.failed('budget.reserve', refused ? 'closed' : 'open', error);
      if (refused) this.refuse();
      return { ...admitted, reservation: this.options.local.reservations.reserve(scopeKeys, micros) };
    }
    if (over > 0) return null;
    return { ...admitted, reservation: this.reservation(held, { id: String(args[0]), micros }) };
  }

  private reservation(keys: string[], { id, micros }: { id: string; micros: number }): Reservation {
    let open = true;
    return {
      micros,
      release: () => {
        if (!open) return;
        open = false;
        // Sent after the request's spend on the same connection, so Redis never sees the money neither spent nor held.
        RELEASE.run(this.redis.client, keys, [id]).catch((error) => this.redis.failed('budget.release', 'local', error));
      },
    };
  }

  private refuse(): never {
    throw new HttpError({
      status: 503,
      message: 'Shared budgets are unavailable (Redis is not reachable), so requests through a budget that fails closed are refused; set whenRedisDown: open on the budget (or TOLLGATE_BUDGET_FAIL_MODE=open) to admit them meanwhile',
      type: 'server_error',
      code: 'budget_unavailable',
    });
  }

  private limitMicros(params: BudgetFactParams, key: string): number {
    return usdToMicros(this.options.limits?.limitFor(key, params.window) ?? params.limitUsd);
  }

  private spendHash(period: string, key: string): string {
    return `${this.prefix}spend:${period}|${key}`;
  }

  private heldKeys(key: string): [string, string, string] {
    return [`${this.prefix}held:${key}`, `${this.prefix}holds:${key}`, `${this.prefix}hexp:${key}`];
  }
}
