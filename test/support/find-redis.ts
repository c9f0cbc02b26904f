import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureBinary, freePort, waitUntil, type BinaryLookup, type PackagedBinary } from './debian-server.js';

/**
 * A throwaway redis-server for tests, like the browser stories' Chromium: Debian's binary, found
 * or installed, on a free loopback port, no persistence, its own temp dir removed on stop.
 *
 *   const redis = await startRedis();   // redis.url: redis://127.0.0.1:PORT
 *   await redis.stop();                 // and redis.kill() / redis.restart() to test an outage
 */
export const REDIS_SERVER: PackagedBinary = {
  label: 'redis-server',
  aptPackage: 'redis-server',
  envVar: 'TOLLGATE_REDIS_SERVER',
  candidates: () => ['/usr/bin/redis-server', '/usr/local/bin/redis-server'],
};

export function ensureRedisServer(options: BinaryLookup = {}): string {
  return ensureBinary(REDIS_SERVER, options);
}

export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a shutdown); restart() brings it back on the same port, empty. */
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Sends PING over a raw socket, so the harness does not depend on the client under test. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.setTimeout(1000);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.destroy();
      resolve(data.toString().startsWith('+PONG'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startRedis(options: BinaryLookup = {}): Promise<TestRedis> {
  const binary = ensureRedisServer(options);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-redis-'));
  const port = await freePort();
  let child: ChildProcess | null = null;
  let output = '';

  async function launch(): Promise<void> {
    output = '';
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
    child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
    await waitUntil(() => ping(port), () => `redis-server on port ${port} (${output.trim()})`);
  }

  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  }

  await launch();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart: async () => {
      await kill();
      await launch();
    },
    stop: async () => {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
