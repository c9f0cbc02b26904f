export type BreakerState = 'closed' | 'open' | 'halfOpen';

export interface BreakerOptions {
  /** Failures within the window that open the breaker. */
  failures: number;
  windowMs: number;
  /** How long an open breaker refuses before it lets one probe through. */
  openMs: number;
  /**
   * How long a half-open probe may stay out before another is granted: a safety net for an
   * outcome that never comes back, so it must outlast a slow answer (default max(openMs, 60 s)).
   */
  probeTimeoutMs?: number;
  /** Told when a breaker opens or closes here (not when adopted): with Redis, the other instances adopt it. */
  onTransition?: (key: BreakerKey, state: 'open' | 'closed', at: number) => void;
}

export interface BreakerKey {
  provider: string;
  model: string;
}

export interface BreakerStatus extends BreakerKey {
  state: BreakerState;
  /** Failures counted in the current window. */
  failures: number;
  /** When the breaker last opened, ISO; null while it never has. */
  openedAt: string | null;
}

interface Breaker {
  state: BreakerState;
  /** Times of the failures within the window, oldest first. */
  failures: number[];
  openedAt: number | null;
  /** When the half-open probe was let through; a probe whose outcome never comes back expires after probeTimeoutMs. */
  probeAt: number | null;
}

const keyOf = ({ provider, model }: BreakerKey) => `${provider}\u0000${model}`;

/**
 * One circuit breaker per provider and model, behind the `providerHealthy` fact. Closed, it
 * counts failures in a sliding window and opens at the threshold. Open, it reports unhealthy
 * for openMs, then goes half-open and lets exactly one request through as a probe (every other
 * request stays unhealthy meanwhile). The probe's success closes it; its failure opens it again.
 * Single-threaded, so a check and the probe it grants cannot race.
 */
export class CircuitBreakers {
  private readonly breakers = new Map<string, Breaker & BreakerKey>();

  private readonly probeTimeoutMs: number;
  constructor(private readonly options: BreakerOptions) {
    this.probeTimeoutMs = options.probeTimeoutMs ?? Math.max(options.openMs, 60_000);
  }

  record(key: BreakerKey, ok: boolean, now = Date.now()): void {
    const b = this.breakers.get(keyOf(key)) ?? this.create(key);
    if (ok) {
      if (b.state !== 'closed') this.close(b);
      return;
    }
    if (b.state === 'halfOpen') return this.open(b, now);
    if (b.state === 'open') return;
    b.failures.push(now);
    this.trim(b, now);
    if (b.failures.length >= this.options.failures) this.open(b, now);
  }

  /** Whether a request may go to this provider and model; in half-open, true for the one probe only. */
  isHealthy(key: BreakerKey, now = Date.now()): boolean {
    const b = this.breakers.get(keyOf(key));
    if (!b || b.state === 'closed') return true;
    const { openMs } = this.options;
    if (b.state === 'open') {
      if (now - b.openedAt! < openMs) return false;
      b.state = 'halfOpen';
      b.probeAt = now;
      return true;
    }
    if (b.probeAt !== null && now - b.probeAt < this.probeTimeoutMs) return false;
    b.probeAt = now;
    return true;
  }

  /** Takes on a transition another instance saw, without telling anyone. */
  adopt(key: BreakerKey, state: 'open' | 'closed', at: number): void {
    const b = this.breakers.get(keyOf(key)) ?? this.create(key);
    if (state === 'open') {
      b.state = 'open';
      b.openedAt = at;
      b.probeAt = null;
    } else {
      b.state = 'closed';
      b.failures = [];
      b.probeAt = null;
    }
  }

  status(now = Date.now()): BreakerStatus[] {
    return [...this.breakers.values()].map((b) => {
      this.trim(b, now);
      return { provider: b.provider, model: b.model, state: b.state, failures: b.failures.length, openedAt: b.openedAt === null ? null : new Date(b.openedAt).toISOString() };
    });
  }

  private create(key: BreakerKey): Breaker & BreakerKey {
    const b = { provider: key.provider, model: key.model, state: 'closed' as const, failures: [], openedAt: null, probeAt: null };
    this.breakers.set(keyOf(key), b);
    return b;
  }

  private open(b: Breaker & BreakerKey, now: number): void {
    b.state = 'open';
    b.openedAt = now;
    b.probeAt = null;
    this.options.onTransition?.(b, 'open', now);
  }

  private close(b: Breaker & BreakerKey): void {
    b.state = 'closed';
    b.failures = [];
    b.probeAt = null;
    this.options.onTransition?.(b, 'closed', Date.now());
  }

  private trim(b: Breaker, now: number): void {
    while (b.failures.length > 0 && now - b.failures[0]! >= this.options.windowMs) b.failures.shift();
  }
}
