import type { IncomingMessage } from 'node:http';
import type { StoredKey } from './key-store.js';

// A symbol property, not a WeakMap: a WeakMap entry per request costs about 2 µs in set and GC.
const BOUND = Symbol('tollgate.serviceKey');
type WithKey = IncomingMessage & { [BOUND]?: StoredKey };

/** Remembers which service key a request was authenticated with, for the facts read later on the same request. */
export function bindServiceKey(req: IncomingMessage, key: StoredKey): void {
  (req as WithKey)[BOUND] = key;
}

export function boundServiceKey(req: IncomingMessage): StoredKey | undefined {
  return (req as WithKey)[BOUND];
}
