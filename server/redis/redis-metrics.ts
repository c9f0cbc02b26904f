import { Counter, Gauge, type Registry } from 'prom-client';

/** Redis health on /metrics: whether it is reachable, and every operation that failed and fell back to its gate's fail mode. */
export class RedisMetrics {
  private readonly failures: Counter<'op' | 'mode'>;
  private readonly upGauge: Gauge;

  constructor(registry: Registry) {
    this.failures = new Counter({
      name: 'tollgate_redis_failures_total',
      help: 'Redis operations that failed, by operation and the fail mode applied (open: allowed, closed: refused, local: served from this instance)',
      labelNames: ['op', 'mode'] as const,
      registers: [registry],
    });
    this.upGauge = new Gauge({ name: 'tollgate_redis_up', help: '1 while the shared Redis is connected', registers: [registry] });
  }

  failed(op: string, mode: 'open' | 'closed' | 'local'): void {
    this.failures.labels(op, mode).inc();
  }

  up(connected: boolean): void {
    this.upGauge.set(connected ? 1 : 0);
  }
}
