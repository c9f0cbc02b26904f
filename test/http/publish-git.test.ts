import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishResponse, VersionSummary } from '../../shared/api.js';
import type { GraphInput } from '../../shared/graph.js';
import { configFromEnv } from '../../server/config.js';
import { startHarness, type Harness } from './harness.js';

const always = (id: string, model: string): GraphInput => ({
  id,
  name: `Always ${model}`,
  nodes: [
    { id: 'request', kind: 'request', label: 'Request', position: { x: 0, y: 0 }, params: {} },
    { id: 'only', kind: 'route', label: 'Only model', position: { x: 200, y: 0 }, params: { model } },
  ],
  edges: [{ id: 'e1', source: 'request', sourceHandle: 'next', target: 'only' }],
});

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

async function publish(h: Harness, graph: GraphInput, extra: Record<string, unknown> = {}): Promise<Response> {
  return h.post(`/api/policies/${graph.id}/publish`, { graph, ...extra });
}

describe('publishing with TOLLGATE_GIT_COMMIT=1', () => {
  let h: Harness;
  beforeAll(async () => {
    // The same switch the runtime reads from its environment.
    h = await startHarness({}, { gitCommit: configFromEnv({ TOLLGATE_GIT_COMMIT: '1' }).gitCommit });
    git(h.rulesDir, 'init', '--quiet');
    git(h.rulesDir, '-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'add', '.');
    git(h.rulesDir, '-c', 'user.name=Setup', '-c', 'user.email=setup@example.invalid', 'commit', '--quiet', '-m', 'example rules');
  });
  afterAll(() => h.close());

  it('commits the rule file with the publisher’s message and name, and nothing else that was staged', async () => {
    await writeFile(path.join(h.rulesDir, 'notes.txt'), 'not a rule file\n');
    git(h.rulesDir, 'add', 'notes.txt');
    const response = await publish(h, always('gpt-only', 'gpt-4o'), { message: 'Everything on gpt-4o for the launch', author: 'Ana Lima' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as PublishResponse;
    expect(body.git).toMatchObject({ committed: true });
    const head = git(h.rulesDir, 'log', '-1', '--format=%H|%an|%s|%cn');
    expect(head).toBe(`${body.git!.committed ? body.git!.commit : ''}|Ana Lima|Everything on gpt-4o for the launch|Tollgate`);
    expect(git(h.rulesDir, 'show', '--name-only', '--format=', 'HEAD')).toBe('gpt-only.json');
    expect(git(h.rulesDir, 'status', '--porcelain')).toBe('A  notes.txt');
    expect(git(h.rulesDir, 'show', 'HEAD:gpt-only.json')).toContain('"name": "only-model"');
  });

  it('lists the author and message of each version, and commits a roll back too', async () => {
    await publish(h, always('gpt-only', 'gpt-4o-mini'), { message: 'Cheaper', author: 'Ben' });
    const rolled = await h.post('/api/policies/gpt-only/rollback', { version: 1, author: 'Ana Lima' });
    expect(rolled.status).toBe(200);
    const { versions } = (await (await fetch(`${h.url}/api/policies/gpt-only/versions`)).json()) as { versions: VersionSummary[] };
    expect(versions.map((v) => [v.version, v.author, v.message])).toEqual([
      [3, 'Ana Lima', 'Roll back to v1'],
      [2, 'Ben', 'Cheaper'],
      [1, 'Ana Lima', 'Everything on gpt-4o for the launch'],
    ]);
    expect(git(h.rulesDir, 'log', '-1', '--format=%an|%s')).toBe('Ana Lima|Roll back to v1');
  });

  it('refuses a message that is too long, naming the field', async () => {
    const response = await publish(h, always('gpt-only', 'gpt-4o'), { message: 'x'.repeat(501) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { field?: string } }).error.field).toBe('message');
  });
});

describe('publishing without a git work tree', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({}, { gitCommit: true });
  });
  afterAll(() => h.close());

  it('still publishes, and says why nothing was committed', async () => {
    const response = await publish(h, always('no-git', 'gpt-4o'), { message: 'first' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as PublishResponse;
    expect(body.version).toBe(1);
    expect(body.git).toMatchObject({ committed: false });
    expect(body.git && !body.git.committed && body.git.reason).toContain('not inside a git work tree');
  });
});

describe('publishing with git commits off (the default)', () => {
  it('writes the file and commits nothing', async () => {
    expect(configFromEnv({}, {}).gitCommit).toBe(false);
    const h = await startHarness();
    try {
      const body = (await (await publish(h, always('plain', 'gpt-4o'))).json()) as PublishResponse;
      expect(body.git).toBeNull();
    } finally {
      await h.close();
    }
  });
});
