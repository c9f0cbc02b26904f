import { afterAll, describe, expect, it } from 'vitest';
import { hello, startHarness, type Harness } from '../http/harness.js';
import { freePort } from '../support/debian-server.js';

const started: Harness[] = [];
afterAll(async () => {
  await Promise.all(started.map((h) => h.close()));
});

describe('service URLs from the environment', () => {
  it('refuses to start on a TOLLGATE_REDIS_URL that is not a redis URL, naming the variable and not the value', async () => {
    const start = startHarness({ TOLLGATE_REDIS_URL: 'http://user:hunter2@cache:6379' });
    await expect(start).rejects.toThrow(/TOLLGATE_REDIS_URL must start with redis:\/\/ or rediss:\/\//);
    await expect(start).rejects.not.toThrow(/hunter2/);
  });

  it('refuses to start on a TOLLGATE_DATABASE_URL that is not a URL', async () => {
    await expect(startHarness({ TOLLGATE_DATABASE_URL: 'tollgate db' })).rejects.toThrow(/TOLLGATE_DATABASE_URL is not a URL/);
  });

  it('starts and serves with the database away, and /api/usage answers 503 naming the variable', async () => {
    const h = await startHarness({ TOLLGATE_DATABASE_URL: `postgres://tollgate@127.0.0.1:${await freePort()}/tollgate` });
    started.push(h);
    expect((await h.post('/v1/chat/completions', hello())).status).toBe(200);
    const usage = await fetch(`${h.url}/api/usage`);
    expect(usage.status).toBe(503);
    expect(JSON.stringify(await usage.json())).toContain('TOLLGATE_DATABASE_URL');
  });
});
