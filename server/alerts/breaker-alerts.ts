import type { BreakerOptions } from '../runtime/circuit-breaker.js';
import type { AlertFeed } from './alert-feed.js';

type OnTransition = NonNullable<BreakerOptions['onTransition']>;

/** The breakers' onTransition: an opening raises a breaker alert, then the next listener (Redis announcing it) is told. */
export function breakerAlerts(feed: AlertFeed, next?: OnTransition): OnTransition {
  return (key, state, at) => {
    if (state === 'open') feed.raise({ kind: 'breaker', scope: `${key.provider}/${key.model}`, text: `circuit breaker opened for ${key.model} on ${key.provider}` });
    next?.(key, state, at);
  };
}
