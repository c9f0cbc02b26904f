import net from 'node:net';

export interface TcpRelay {
  /** Where clients connect: 127.0.0.1 and a fixed port, relayed to the target while open. */
  port: number;
  /** Starts relaying (again) on the same port. */
  open(): Promise<void>;
  /** Refuses new connections and cuts the ones relayed, as a server or network going away would. */
  cut(): Promise<void>;
  close(): Promise<void>;
}

/** A loopback TCP relay in front of a real server (PostgreSQL, Redis): lets a test take the server away and bring it back without restarting it. */
export async function startTcpRelay(target: { host: string; port: number }, port: number): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve();
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client).add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        server = s;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  return { port, open, cut, close: cut };
}
