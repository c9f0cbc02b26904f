/**
 * Tracks recent outcomes per provider for the `providerHealthy` fact: a provider is unhealthy
 * after `threshold` consecutive failures, until a success or `coolOffMs` passes.
 */
export class ProviderHealth {
  private readonly failures = new Map<string, { count: number; lastAt: number }>();

  constructor(
    private readonly threshold = 5,
    private readonly coolOffMs = 30_000,
  ) {}

  record(provider: string, ok: boolean, now = Date.now()): void {
    if (ok) {
      this.failures.delete(provider);
      return;
    }
    const state = this.failures.get(provider);
    this.failures.set(provider, { count: (state?.count ?? 0) + 1, lastAt: now });
  }

  isHealthy(provider: string, now = Date.now()): boolean {
    const state = this.failures.get(provider);
    if (!state) return true;
    if (now - state.lastAt > this.coolOffMs) return true;
    return state.count < this.threshold;
  }
}
