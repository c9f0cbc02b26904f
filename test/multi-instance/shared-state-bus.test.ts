import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { hello } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { copyExampleRules } from '../support/example-rules.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

let redis: TestRedis;
let root: string;
const servers: RunningServer[] = [];

/** An instance on its own rules folder and the given data folder (shared, as a volume would be, for the keys file). */
async function instance(dataDir: string): Promise<RunningServer> {
  const rulesDir = await mkdtemp(path.join(root, 'rules-'));
  await copyExampleRules(rulesDir);
  const config = configFromEnv({}, { rulesDir, dataDir, editorDir: path.join(root, 'no-editor'), logLevel: 'silent', ledgerFsyncMs: 0, watchRules: false });
  const server = await startServer(config, { host: '127.0.0.1', port: 0 }, { env: { TOLLGATE_REDIS_URL: redis.url } });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  redis = await startRedis();
  root = await mkdtemp(path.join(os.tmpdir(), 'tollgate-bus-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await redis?.stop();
  await rm(root, { recursive: true, force: true });
});

const chat = (server: RunningServer, key: string) =>
  fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(hello()) });

describe('state every instance adopts through Redis', () => {
  it('opens a provider and model on every instance when its breaker opens on one, and closes it on all after a good probe', async () => {
    const [a, b] = [await instance(path.join(root, 'data-a')), await instance(path.join(root, 'data-b'))];
    const key = { provider: 'openai', model: 'gpt-4o' };
    for (let i = 0; i < a.runtime.config.breakerFailures; i++) a.runtime.health.record(key, false);
    expect(a.runtime.health.isHealthy(key)).toBe(false);
    await waitFor(async () => b.runtime.health.status().find((s) => s.model === 'gpt-4o')?.state === 'open', 50, 20);
    const seen = (await (await fetch(`${b.url}/api/health/providers`)).json()) as unknown;
    expect(JSON.stringify(seen)).toContain('"state":"open"');
    a.runtime.health.record(key, true);
    await waitFor(async () => b.runtime.health.status().find((s) => s.model === 'gpt-4o')?.state === 'closed', 50, 20);
  });

  it('refuses a service key on every instance once it is revoked on one', async () => {
    const shared = path.join(root, 'data-shared');
    const a = await instance(shared);
    const issued = await fetch(`${a.url}/api/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'search', tags: {} }) });
    expect(issued.status).toBe(201);
    const { id, key } = (await issued.json()) as { id: string; key: string };
    const b = await instance(shared);
    expect((await chat(b, key)).status).toBe(200);
    const before = path.join(root, 'data-before-revoke');
    await cp(shared, before, { recursive: true });
    expect((await fetch(`${a.url}/api/keys/${id}`, { method: 'DELETE' })).status).toBe(204);
    await waitFor(async () => (await chat(b, key)).status === 401, 50, 20);
    expect((await chat(a, key)).status).toBe(401);
    // An instance that starts later from a copy of the keys file taken before the revocation catches up from Redis.
    const c = await instance(before);
    await waitFor(async () => (await chat(c, key)).status === 401, 50, 20);
  });
});
