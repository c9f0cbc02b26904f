import type { ScopeSubject } from './scope-key.js';
import { spendKeys, totalOf } from './spend-keys.js';

/** Money held for one request in flight; released once, when its actual cost is booked or it fails. */
export interface Reservation {
  readonly micros: number;
  /** Idempotent, so every way a request can end may call it. */
  release(): void;
}

/**
 * Estimated costs of requests in flight, in integer micro-dollars, under the same keys the
 * spend index books actual costs under. In memory only: after a restart nothing is in flight,
 * and spend comes back from the ledger. Every call is synchronous, so a check followed by a
 * reserve in the same tick is atomic on one instance.
 */
export class BudgetReservations {
  private readonly totals = new Map<string, number>();
  private count = 0;

  /** Requests holding a reservation now. */
  get outstanding(): number {
    return this.count;
  }

  /** Micro-dollars held under a scope key (see scopeKey). */
  reservedMicros(key: string): number {
    return totalOf(this.totals, key);
  }

  reserve(subject: ScopeSubject, micros: number): Reservation {
    const keys = spendKeys(subject);
    this.adjust(keys, micros);
    this.count++;
    let held = true;
    return {
      micros,
      release: () => {
        if (!held) return;
        held = false;
        this.count--;
        this.adjust(keys, -micros);
      },
    };
  }

  private adjust(keys: readonly string[], micros: number): void {
    for (const key of keys) {
      const next = (this.totals.get(key) ?? 0) + micros;
      if (next === 0) this.totals.delete(key);
      else this.totals.set(key, next);
    }
  }
}
