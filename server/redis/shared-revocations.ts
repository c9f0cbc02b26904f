import type { KeyStore } from '../keys/key-store.js';
import type { StateBus } from './state-bus.js';

/** Kept in Redis, so an instance that was away (or starts later) forgets revoked keys too. */
const REVOKED = 'tg:keys:revoked';

/** A service key revoked on one instance stops working on every instance. */
export function shareRevocations(bus: StateBus, keys: KeyStore): void {
  const redis = bus.client;
  keys.onRevoke = (id) => {
    redis.client.sadd(REVOKED, id).catch((error) => redis.failed('keys.revoke', 'local', error));
    bus.publish('revoke', { id });
  };
  bus.on('revoke', (payload) => {
    if (typeof payload.id === 'string') keys.forget(payload.id);
  });
  const catchUp = () => {
    redis.client.smembers(REVOKED).then(
      (ids) => ids.forEach((id) => keys.forget(id)),
      (error) => redis.failed('keys.catch-up', 'local', error),
    );
  };
  bus.onConnect(catchUp);
  catchUp();
}
