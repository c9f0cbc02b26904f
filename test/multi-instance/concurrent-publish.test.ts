import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../http/harness.js';
import { waitFor } from '../http/wait-for.js';
import { startRedis, type TestRedis } from '../support/find-redis.js';

/** Three instances, each with its own rules and data folders, sharing one real redis-server. */
let redis: TestRedis;
let instances: Harness[];

beforeAll(async () => {
  redis = await startRedis();
  instances = await Promise.all([0, 1, 2].map(() => startHarness({ TOLLGATE_REDIS_URL: redis.url })));
});
afterAll(async () => {
  await Promise.all((instances ?? []).map((h) => h.close()));
  await redis?.stop();
});

/** A graph whose block message names `n`, so each publish is told apart by its content. */
function numbered(n: number) {
  return {
    id: 'raced',
    name: 'Raced',
    nodes: [
      { id: 'request', kind: 'request', params: {} },
      { id: 'stop', kind: 'block', params: { status: 403, message: `publish ${n}` } },
    ],
    edges: [{ id: 'e1', source: 'request', sourceHandle: 'next', target: 'stop' }],
  };
}

const messageOf = (h: Harness) => h.server.runtime.store.get('raced')?.ruleFile.graph.nodes.find((n) => n.id === 'stop')?.params.message;

describe('publishing the same policy on several instances at once', () => {
  it('gives 10 parallel publishes spread over three instances unique versions, and every instance converges on the last within a second', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, async (_, n) => {
        const response = await instances[n % 3]!.post('/api/policies/raced/publish', { graph: numbered(n) });
        expect(response.status).toBe(200);
        const body = (await response.json()) as { ruleFile: { policy: { version: number } } };
        return { n, version: body.ruleFile.policy.version };
      }),
    );
    const versions = results.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const last = results.find((r) => r.version === 10)!;
    // 50 polls 20 ms apart: converged within one second of the last answer.
    // The rule file is written after the install (one write at a time per policy, each of the newest live version), so it is polled too.
    const versionOnDisk = async (h: Harness) => (JSON.parse(await readFile(path.join(h.rulesDir, 'raced.json'), 'utf8')) as { policy: { version: number } }).policy.version;
    await waitFor(async () => (await Promise.all(instances.map(async (h) => h.server.runtime.store.get('raced')?.ruleFile.policy.version === 10 && (await versionOnDisk(h)) === 10))).every(Boolean), 50, 20);
    for (const h of instances) {
      expect(messageOf(h)).toBe(`publish ${last.n}`);
      expect(await versionOnDisk(h)).toBe(10);
    }
    // Each version is in the history of every instance, whichever published it, so any of them can roll back to it.
    await waitFor(async () => {
      const lists = await Promise.all(instances.map((h) => h.server.runtime.history.versions('raced')));
      return lists.every((l) => l.length === 10);
    }, 50, 20);
    const rolledBack = await instances[2]!.post('/api/policies/raced/rollback', { version: results.find((r) => r.n === 0)!.version });
    expect(rolledBack.status).toBe(200);
    expect(((await rolledBack.json()) as { ruleFile: { policy: { version: number } } }).ruleFile.policy.version).toBe(11);
    await waitFor(async () => instances.every((h) => messageOf(h) === 'publish 0'), 50, 20);
  });

  it("carries a version's author and message into the other instances' histories", async () => {
    const graph = { ...numbered(99), id: 'signed', name: 'Signed' };
    const response = await instances[0]!.post('/api/policies/signed/publish', { graph, author: 'Ana Lima', message: 'Block everything for the audit' });
    expect(response.status).toBe(200);
    for (const h of instances.slice(1)) {
      const listed = await waitFor(async () => {
        const body = (await (await fetch(`${h.url}/api/policies/signed/versions`)).json()) as { versions: { version: number; author: string; message: string }[] };
        return body.versions.length > 0 ? body.versions : undefined;
      }, 50, 20);
      expect(listed.map((v) => [v.version, v.author, v.message])).toEqual([[1, 'Ana Lima', 'Block everything for the audit']]);
    }
  });
});
