// Preloaded into Portkey's gateway (`node --import`). Plain JavaScript because Portkey runs under
// plain node, without Tollgate's TypeScript loader. Its start script listens on every interface
// and has no host option, and the bench binds nothing beyond 127.0.0.1: a listen call given a
// port and no host gets 127.0.0.1; everything else is left alone.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number') {
    if (args[1] === undefined || args[1] === null) args[1] = '127.0.0.1';
    else if (typeof args[1] === 'function') args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
