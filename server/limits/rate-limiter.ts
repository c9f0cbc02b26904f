import type { RateFactParams } from '../../shared/nodes/rate-limit.js';

export interface RateLimiterOptions {
  /** Most counters kept; the least recently counted go first beyond it. */
  maxKeys?: number;
  windowMs?: number;
}

export interface RateUsage {
  requests: number;
  tokens: number;
}

interface Counter {
  /** Start of the fixed window `current` counts in. */
  start: number;
  previous: RateUsage;
  current: RateUsage;
}

/** Counters idle for this many windows estimate to zero and are dropped. */
const IDLE_WINDOWS = 2;
/** Idle counters checked per count(), which keeps eviction amortised O(1). */
const SWEEP_PER_COUNT = 2;

/**
 * Requests and tokens a minute per (limit, scope key), as a sliding window estimated from two
 * fixed windows: the previous window's count weighted by how much of it still overlaps the
 * last minute, plus the current window's. Reading never counts: a rule engine may ask about a
 * limit on a path it then does not take, so counting is a separate call for the path taken.
 */
export class RateLimiter {
  /** In order of last count, oldest first: the front is where idle counters are. */
  private readonly counters = new Map<string, Counter>();
  private readonly maxKeys: number;
  private readonly windowMs: number;

  constructor(options: RateLimiterOptions = {}) {
    this.maxKeys = options.maxKeys ?? 100_000;
    this.windowMs = options.windowMs ?? 60_000;
  }

  get size(): number {
    return this.counters.size;
  }

  /** The `rateLimited` dynamic fact: true once the scope used its requests (or tokens) for the last minute. */
  isLimited(params: RateFactParams, key: string, now: number): boolean {
    const used = this.usage(params, key, now);
    return used.requests >= params.rpm || (params.tpm > 0 && used.tokens >= params.tpm);
  }

  /** Estimated use over the minute before `now`. */
  usage(params: RateFactParams, key: string, now: number): RateUsage {
    const counter = this.counters.get(counterKey(params, key));
    if (!counter) return { requests: 0, tokens: 0 };
    const start = this.windowOf(now);
    const { previous, current } = this.rolled(counter, start);
    const overlap = 1 - (now - start) / this.windowMs;
    return { requests: previous.requests * overlap + current.requests, tokens: previous.tokens * overlap + current.tokens };
  }

  /** Books one request and its tokens; called for each `countRate` action on the path taken. */
  count(params: RateFactParams, key: string, tokens: number, now: number): void {
    const id = counterKey(params, key);
    const start = this.windowOf(now);
    const existing = this.counters.get(id);
    const counter: Counter = existing ? { start, ...this.rolled(existing, start) } : { start, previous: zero(), current: zero() };
    counter.current = { requests: counter.current.requests + 1, tokens: counter.current.tokens + Math.max(0, tokens) };
    this.counters.delete(id);
    this.counters.set(id, counter);
    this.evict(start);
  }

  private evict(start: number): void {
    const idleBefore = start - (IDLE_WINDOWS - 1) * this.windowMs;
    let checked = 0;
    for (const [id, counter] of this.counters) {
      if (this.counters.size > this.maxKeys || (checked < SWEEP_PER_COUNT && counter.start < idleBefore)) {
        this.counters.delete(id);
        checked++;
        continue;
      }
      break;
    }
  }

  private windowOf(now: number): number {
    return Math.floor(now / this.windowMs) * this.windowMs;
  }

  /** The counter's two windows as seen from the window starting at `start`. */
  private rolled(counter: Counter, start: number): { previous: RateUsage; current: RateUsage } {
    if (counter.start === start) return { previous: counter.previous, current: counter.current };
    if (counter.start === start - this.windowMs) return { previous: counter.current, current: zero() };
    return { previous: zero(), current: zero() };
  }
}

function counterKey(params: RateFactParams, key: string): string {
  return `${params.rpm}/${params.tpm}|${key}`;
}

function zero(): RateUsage {
  return { requests: 0, tokens: 0 };
}
