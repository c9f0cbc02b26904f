import net from 'node:net';

/**
 * Preloaded into Portkey's gateway (`node --import`): its start script listens on every
 * interface and has no host option, and the bench binds nothing beyond 127.0.0.1. A listen
 * call given a port and no host gets 127.0.0.1; everything else is left alone.
 */
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(this: net.Server, ...args: unknown[]) {
  if (typeof args[0] === 'number') {
    if (args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';
    else if (typeof args[1] === 'function') args.splice(1, 0, '127.0.0.1');
  }
  return (listen as (...a: unknown[]) => net.Server).apply(this, args);
} as typeof net.Server.prototype.listen;
