import { randomBytes } from 'node:crypto';
import type { SharedRedis } from './redis-connection.js';
import { RESERVE_SCRIPT, SETTLE_SCRIPT } from './budget-reservation-scripts.js';
import { RedisScript } from './redis-script.js';

const RESERVE = new RedisScript(RESERVE_SCRIPT);
const SETTLE = new RedisScript(SETTLE_SCRIPT);

/**
 * Money held for one request in flight, as server/limits/budget-reservations.ts defines it (the
 * same shape, so either implementation fits where a Reservation is expected): released once.
 */
export interface Reservation {
  readonly micros: number;
  /** Idempotent, so every way a request can end may call it. */
  release(): void;
}

/** A shared reservation can also book what the request actually cost. */
export interface SharedReservation extends Reservation {
  /** Releases the hold and adds `actualMicros` to every scope's spend; at most once, and only if not released. */
  settle(actualMicros: number): Promise<void>;
}

/** One budget a request's path passes: its scope key (as scopeKey makes it, with its window) and limit. */
export interface BudgetScope {
  key: string;
  limitMicros: number;
}

export type ReserveResult =
  | { ok: true; reservation: SharedReservation }
  /** `over`: the scope's spend plus holds plus this would pass its limit; `unavailable`: Redis failed and the fail mode is closed. */
  | { ok: false; reason: 'over'; scope: string }
  | { ok: false; reason: 'unavailable'; scope: null };

export interface RedisBudgetReservationsOptions {
  redis: SharedRedis;
  /** A hold not released by then (its instance died) is given back. Longer than the slowest request. */
  holdMs?: number;
  /** Spend totals are kept this long after their last booking; longer than the longest budget window. */
  keepSpentMs?: number;
  /** When Redis fails: `closed` refuses (the default: a budget protects money), `open` admits unheld. */
  failMode?: 'open' | 'closed';
  prefix?: string;
}

function assertMicros(micros: number, what: string): void {
  if (!Number.isSafeInteger(micros) || micros < 0) throw new RangeError(`${what} must be a non-negative integer of micro-dollars, got ${micros}`);
}

/**
 * Budget reservations shared by every instance through Redis: the check against the limit and
 * the hold are one Lua script, so two instances can never both take the last of a budget.
 * The Redis counterpart of the in-memory BudgetReservations, for the lead to wire in after
 * that lands; asynchronous where the in-memory one is synchronous, since a check must reach Redis.
 */
export class RedisBudgetReservations {
  private readonly redis: SharedRedis;
  private readonly holdMs: number;
  private readonly keepSpentMs: number;
  private readonly failMode: 'open' | 'closed';
  private readonly prefix: string;
  private readonly instance = randomBytes(6).toString('hex');
  private seq = 0;

  constructor(options: RedisBudgetReservationsOptions) {
    this.redis = options.redis;
    this.holdMs = options.holdMs ?? 5 * 60_000;
    this.keepSpentMs = options.keepSpentMs ?? 40 * 24 * 3600_000;
    this.failMode = options.failMode ?? 'closed';
    this.prefix = options.prefix ?? 'tg:budget:';
  }

  /** Holds `micros` under every scope, or under none if any would pass its limit. */
  async reserve(scopes: readonly BudgetScope[], micros: number): Promise<ReserveResult> {
    assertMicros(micros, 'micros');
    for (const s of scopes) assertMicros(s.limitMicros, `limitMicros of ${s.key}`);
    const id = `${this.instance}:${++this.seq}`;
    const keys = this.keysOf(scopes.map((s) => s.key));
    let over: number;
    try {
      over = Number(await RESERVE.run(this.redis.client, keys, [id, micros, this.holdMs, ...scopes.map((s) => s.limitMicros)]));
    } catch (error) {
      this.redis.failed('budget.reserve', this.failMode, error);
      if (this.failMode === 'closed') return { ok: false, reason: 'unavailable', scope: null };
      return { ok: true, reservation: this.unheld(scopes.map((s) => s.key), micros) };
    }
    if (over > 0) return { ok: false, reason: 'over', scope: scopes[over - 1]!.key };
    return { ok: true, reservation: this.held(keys, { id, micros }) };
  }

  async reservedMicros(key: string): Promise<number> {
    return Number((await this.redis.client.get(this.keysOf([key])[1]!)) ?? 0);
  }

  async spentMicros(key: string): Promise<number> {
    return Number((await this.redis.client.get(this.keysOf([key])[0]!)) ?? 0);
  }

  private held(keys: string[], { id, micros }: { id: string; micros: number }): SharedReservation {
    let open = true;
    const end = (actual: number) => {
      open = false;
      return SETTLE.run(this.redis.client, keys, [id, actual, this.keepSpentMs]).then(
        () => undefined,
        (error) => this.redis.failed(actual < 0 ? 'budget.release' : 'budget.settle', 'local', error),
      );
    };
    return {
      micros,
      release: () => {
        if (open) void end(-1);
      },
      settle: async (actualMicros) => {
        assertMicros(actualMicros, 'actualMicros');
        if (open) await end(actualMicros);
      },
    };
  }

  /** Admitted under the open fail mode: nothing is held; a settle still tries to book the spend. */
  private unheld(scopeKeys: string[], micros: number): SharedReservation {
    const keys = this.keysOf(scopeKeys);
    let open = true;
    return {
      micros,
      release: () => {
        open = false;
      },
      settle: async (actualMicros) => {
        assertMicros(actualMicros, 'actualMicros');
        if (!open) return;
        open = false;
        await SETTLE.run(this.redis.client, keys, ['-', actualMicros, this.keepSpentMs]).catch((error) => this.redis.failed('budget.settle', 'local', error));
      },
    };
  }

  private keysOf(scopeKeys: readonly string[]): string[] {
    return scopeKeys.flatMap((key) => {
      const base = `${this.prefix}${key}`;
      return [`${base}:spent`, `${base}:held`, `${base}:holds`, `${base}:expiry`];
    });
  }
}
