import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ensureBinary } from '../support/debian-server.js';
import { startPostgres } from '../support/find-postgres.js';
import { startRedis } from '../support/find-redis.js';

describe('throwaway servers for the multi-instance tests', () => {
  it('starts a redis-server on a loopback port that answers, survives a kill and restart, and stops', async () => {
    const redis = await startRedis();
    const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
    try {
      await client.connect();
      await client.set('k', 'v');
      expect(await client.get('k')).toBe('v');
      await redis.restart();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await client.get('k')).toBeNull();
    } finally {
      client.disconnect();
      await redis.stop();
    }
  });

  it('starts a fresh PostgreSQL cluster with a tollgate database and removes it on stop', async () => {
    const db = await startPostgres();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string }>('select current_database() as db');
      expect(rows[0]?.db).toBe('tollgate');
    } finally {
      await client.end();
      await db.stop();
    }
  });

  it('names the install command when the binary is missing and it may not install', () => {
    const binary = { label: 'redis-server', aptPackage: 'redis-server', envVar: 'TOLLGATE_TEST_NONE', candidates: () => ['/nonexistent/redis-server'] };
    expect(existsSync('/nonexistent/redis-server')).toBe(false);
    expect(() => ensureBinary(binary, { env: {}, isRoot: false })).toThrow(/apt-get install -y redis-server/);
  });

  it('installs the package with apt-get as root when the binary is missing, and says so', () => {
    const binary = { label: 'redis-server', aptPackage: 'redis-server', envVar: 'TOLLGATE_TEST_NONE', candidates: () => ['/nonexistent/redis-server'] };
    const ran: string[] = [];
    const said: string[] = [];
    expect(() => ensureBinary(binary, { env: {}, isRoot: true, say: (l) => said.push(l), run: (c, a) => (ran.push([c, ...a].join(' ')), 0) })).toThrow(/found no redis-server/);
    expect(ran.at(-1)).toMatch(/apt-get .*install -y redis-server/);
    expect(said[0]).toMatch(/installing Debian's redis-server package/);
  });
});
