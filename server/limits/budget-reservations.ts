/** Money held for one request in flight; released once, when its actual cost is booked or it fails. */
export interface Reservation {
  readonly micros: number;
  /** Idempotent, so every way a request can end may call it. */
  release(): void;
}

/** Zero totals are kept (deleting and re-adding a hot key costs more) until there are this many keys. */
const SWEEP_AT_KEYS = 10_000;

/**
 * Estimated costs of requests in flight, in integer micro-dollars, per scope key (as scopeKey
 * makes it) of each budget on a request's path. In memory only: after a restart nothing is in
 * flight, and spend comes back from the ledger. Every call is synchronous, so a check followed
 * by a reserve in the same tick is atomic on one instance.
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
    return this.totals.get(key) ?? 0;
  }

  /** Holds `micros` under each of `keys` (distinct scope keys) until released. */
  reserve(keys: readonly string[], micros: number): Reservation {
    this.adjust(keys, micros);
    this.count++;
    return new HeldReservation(this, keys, micros);
  }

  /** For HeldReservation only. */
  unhold(keys: readonly string[], micros: number): void {
    this.count--;
    this.adjust(keys, -micros);
    if (this.totals.size > SWEEP_AT_KEYS) {
      for (const [key, total] of this.totals) if (total === 0) this.totals.delete(key);
    }
  }

  private adjust(keys: readonly string[], micros: number): void {
    for (const key of keys) this.totals.set(key, (this.totals.get(key) ?? 0) + micros);
  }
}

class HeldReservation implements Reservation {
  private held = true;

  constructor(
    private readonly owner: BudgetReservations,
    private readonly keys: readonly string[],
    readonly micros: number,
  ) {}

  release(): void {
    if (!this.held) return;
    this.held = false;
    this.owner.unhold(this.keys, this.micros);
  }
}
