/**
 * The exact cache as a backtest sees it: which keys an answer was stored under, when, and by
 * which model. Keys are the runtime's own (server/cache/cache-key.ts); answers are not kept.
 */
export class SimulatedCache {
  private readonly entries = new Map<string, { storedAt: number; expiresAt: number; model: string }>();

  /** The model whose answer a lookup at `now` would get, as the runtime's cache decides freshness. */
  lookup(key: string, ttlSeconds: number, now: number): string | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    return now < entry.expiresAt && now < entry.storedAt + ttlSeconds * 1000 ? entry.model : null;
  }

  store(key: string, model: string, ttlSeconds: number, now: number): void {
    this.entries.set(key, { storedAt: now, expiresAt: now + ttlSeconds * 1000, model });
  }
}
