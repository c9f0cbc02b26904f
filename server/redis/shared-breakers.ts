import { z } from 'zod';
import type { BreakerKey, CircuitBreakers } from '../runtime/circuit-breaker.js';
import type { StateBus } from './state-bus.js';

const TransitionSchema = z.object({ provider: z.string(), model: z.string(), state: z.enum(['open', 'closed']), at: z.number() });

/** The breakers' onTransition with Redis: tells the other instances. */
export function announceBreakers(bus: StateBus): (key: BreakerKey, state: 'open' | 'closed', at: number) => void {
  return (key, state, at) => bus.publish('breaker', { provider: key.provider, model: key.model, state, at });
}

/** A provider and model that failed on one instance is unhealthy on all (and healthy again on all once a probe succeeds). */
export function adoptBreakers(bus: StateBus, breakers: CircuitBreakers): void {
  bus.on('breaker', (payload) => {
    const change = TransitionSchema.safeParse(payload);
    if (change.success) breakers.adopt(change.data, change.data.state, change.data.at);
  });
}
