import { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { RedisMetrics } from './redis-metrics.js';

export interface SharedRedis {
  /** Commands; fails fast while Redis is away (no offline queue), so memory stays bounded. */
  readonly client: Redis;
  readonly connected: boolean;
  /** A second connection for SUBSCRIBE (a subscribed connection can run nothing else). */
  subscriber(): Redis;
  /** Meters and logs (at most once a second per op) a failed operation and the fail mode applied. */
  failed(op: string, mode: 'open' | 'closed' | 'local', error: unknown): void;
  close(): Promise<void>;
}

export interface RedisConnectionOptions {
  url: string;
  log: Logger;
  metrics: RedisMetrics;
  /** A command that gets no answer within this long fails, so a hung Redis cannot hang requests. */
  commandTimeoutMs?: number;
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'redis://(unparseable url)';
  }
}

function clientOptions(commandTimeoutMs: number) {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: commandTimeoutMs,
    connectTimeout: 2000,
    // Reconnect for ever, at most every 2 s: Redis coming back is reconciled by reconnecting.
    retryStrategy: (times: number) => Math.min(times * 100, 2000),
    lazyConnect: false,
  };
}

export async function connectRedis(options: RedisConnectionOptions): Promise<SharedRedis> {
  const { url, log, metrics } = options;
  const timeout = options.commandTimeoutMs ?? 500;
  const client = new Redis(url, clientOptions(timeout));
  const subscribers: Redis[] = [];
  const lastLogged = new Map<string, number>();
  let connected = false;
  const where = redactedUrl(url);

  client.on('ready', () => {
    connected = true;
    metrics.up(true);
    log.info({ redis: where }, 'redis connected');
  });
  client.on('close', () => {
    if (connected) log.warn({ redis: where }, 'redis connection lost; gates use their fail modes until it is back');
    connected = false;
    metrics.up(false);
  });
  // ioredis emits connection errors as events; without a listener they would be unhandled.
  client.on('error', () => undefined);

  await new Promise<void>((resolve) => {
    if (client.status === 'ready') return resolve();
    const done = () => resolve();
    client.once('ready', done);
    // Start even when Redis is down: the runtime serves under its fail modes and reconnects.
    setTimeout(done, 2000).unref();
  });
  if (!connected) log.warn({ redis: where }, 'redis not reachable at start; serving under the fail modes until it is');

  return {
    client,
    get connected() {
      return connected;
    },
    subscriber() {
      // ioredis's own resubscribe after a reconnect leaves its promise unhandled (a crash if Redis drops again meanwhile): the owner resubscribes on 'ready'.
      const sub = new Redis(url, { ...clientOptions(timeout), enableOfflineQueue: true, commandTimeout: undefined, autoResubscribe: false });
      sub.on('error', () => undefined);
      subscribers.push(sub);
      return sub;
    },
    failed(op, mode, error) {
      metrics.failed(op, mode);
      const now = Date.now();
      if ((lastLogged.get(op) ?? 0) + 1000 > now) return;
      lastLogged.set(op, now);
      log.warn({ op, mode, error: (error as Error)?.message ?? String(error) }, 'redis operation failed; fail mode applied');
    },
    async close() {
      for (const sub of subscribers) sub.disconnect();
      client.disconnect();
    },
  };
}
