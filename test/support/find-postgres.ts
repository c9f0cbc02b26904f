import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ensureBinary, freePort, waitUntil, type BinaryLookup, type PackagedBinary } from './debian-server.js';

/**
 * A throwaway PostgreSQL for tests: Debian's server binaries, found or installed, a fresh cluster
 * (initdb, trust auth on loopback, fsync off) in a temp dir on a free port, removed on stop.
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.
 *
 *   const db = await startPostgres();   // db.url: postgres://tollgate@127.0.0.1:PORT/tollgate
 *   await db.stop();
 */
export const POSTGRES_SERVER: PackagedBinary = {
  label: 'PostgreSQL',
  aptPackage: 'postgresql',
  envVar: 'TOLLGATE_POSTGRES',
  candidates: () => [...debianVersions().map((v) => `/usr/lib/postgresql/${v}/bin/postgres`), '/usr/local/bin/postgres', '/usr/bin/postgres'],
};

/** Installed major versions, newest first. */
function debianVersions(): string[] {
  try {
    return readdirSync('/usr/lib/postgresql')
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
}

export function ensurePostgres(options: BinaryLookup = {}): string {
  return ensureBinary(POSTGRES_SERVER, options);
}

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

function owner(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const uid = id('-u');
  if (!Number.isInteger(uid) || uid <= 0) throw new Error('PostgreSQL will not run as root and there is no `postgres` user; install the postgresql package (it creates one).');
  return { uid, gid: id('-g') };
}

export async function startPostgres(options: BinaryLookup = {}): Promise<TestPostgres> {
  const binary = ensurePostgres(options);
  const bin = path.dirname(binary);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-pg-'));
  const data = path.join(dir, 'data');
  const user = owner();
  if (user) chownSync(dir, user.uid, user.gid);
  const as = user ?? {};
  const init = spawnSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'tollgate', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], { ...as, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(binary, ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'full_page_writes=off'], {
    ...as,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  const admin = `postgres://tollgate@127.0.0.1:${port}/postgres`;
  await waitUntil(
    async () => {
      const client = new pg.Client({ connectionString: admin });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    },
    () => `PostgreSQL on port ${port} (${output.trim()})`,
  );
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query('create database tollgate');
  await client.end();
  return {
    url: `postgres://tollgate@127.0.0.1:${port}/tollgate`,
    stop: async () => {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          // SIGINT: PostgreSQL's fast shutdown (disconnects clients, no waiting for them).
          child.kill('SIGINT');
        });
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
