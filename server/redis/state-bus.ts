import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { SharedRedis } from './redis-connection.js';

const CHANNEL = 'tg:state';

type Handler = (payload: Record<string, unknown>) => void;

/**
 * Small state changes every instance applies to its own in-memory copy (a circuit breaker that
 * opened, a key that was revoked), over one Redis channel. The request path keeps reading local,
 * synchronous state; only the changes travel. An instance ignores its own messages.
 */
export class StateBus {
  private readonly instance = randomBytes(6).toString('hex');
  private readonly handlers = new Map<string, Handler>();
  private readonly reconnectHandlers: (() => void)[] = [];
  private readonly sub: Redis;
  private readonly onClientReady = (): void => {
    for (const handler of this.reconnectHandlers) handler();
  };

  private constructor(private readonly redis: SharedRedis) {
    this.sub = redis.subscriber();
  }

  static async start(redis: SharedRedis): Promise<StateBus> {
    const bus = new StateBus(redis);
    bus.sub.on('message', (_channel, message: string) => bus.receive(message));
    bus.sub.on('ready', () => {
      bus.sub.subscribe(CHANNEL).catch((error) => redis.failed('state.subscribe', 'local', error));
      for (const handler of bus.reconnectHandlers) handler();
    });
    // The command connection may come back after the subscriber: catch up when it does too.
    redis.client.on('ready', bus.onClientReady);
    await bus.sub.subscribe(CHANNEL).catch((error) => redis.failed('state.subscribe', 'local', error));
    return bus;
  }

  get client(): SharedRedis {
    return this.redis;
  }

  on(topic: string, handler: Handler): void {
    this.handlers.set(topic, handler);
  }

  /** Runs on every (re)connect: what was missed while away is caught up from a copy kept in Redis. */
  onConnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  /** Fire and forget: with Redis away the change stays local (metered). */
  publish(topic: string, payload: Record<string, unknown>): void {
    this.redis.client.publish(CHANNEL, JSON.stringify({ from: this.instance, topic, payload })).catch((error) => this.redis.failed(`state.${topic}`, 'local', error));
  }

  async close(): Promise<void> {
    this.redis.client.off('ready', this.onClientReady);
    this.sub.disconnect();
  }

  private receive(message: string): void {
    let parsed: { from?: unknown; topic?: unknown; payload?: unknown };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.from === this.instance || typeof parsed.topic !== 'string' || typeof parsed.payload !== 'object' || parsed.payload === null) return;
    this.handlers.get(parsed.topic)?.(parsed.payload as Record<string, unknown>);
  }
}
