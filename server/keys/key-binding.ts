import type { IncomingMessage } from 'node:http';
import type { StoredKey } from './key-store.js';

const bound = new WeakMap<IncomingMessage, StoredKey>();

/** Remembers which service key a request was authenticated with, for the facts read later on the same request. */
export function bindServiceKey(req: IncomingMessage, key: StoredKey): void {
  bound.set(req, key);
}

export function boundServiceKey(req: IncomingMessage): StoredKey | undefined {
  return bound.get(req);
}
