import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { edge, node } from '../compiler/graph-builders.js';
import { hello, startHarness, type Harness } from './harness.js';

/** An A/B test: half the users get gpt-4o-mini, half gpt-4o, sticky by user. */
const abGraph = {
  id: 'ab-test',
  name: 'A/B test',
  nodes: [
    node('req', 'request'),
    node('ab', 'split', { branches: [{ weight: 50, label: 'mini' }, { weight: 50, label: 'full' }], stickyBy: 'user' }),
    node('mini', 'route', { model: 'gpt-4o-mini' }),
    node('full', 'route', { model: 'gpt-4o' }),
  ],
  edges: [edge('req', 'next', 'ab'), edge('ab', 'branch0', 'mini'), edge('ab', 'branch1', 'full')],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  const published = await h.post('/api/policies/ab-test/publish', { graph: abGraph });
  expect(published.status).toBe(200);
});
afterAll(() => h.close());

async function ask(user: string, policy = 'cost-router') {
  const { data, response } = await h.client.chat.completions
    .create(hello('gpt-4o'), { headers: { 'x-tollgate-policy': policy, 'x-tollgate-user': user } })
    .withResponse();
  return { model: data.model, id: response.headers.get('x-tollgate-request-id')!, served: response.headers.get('x-tollgate-model')! };
}

describe('outcome feedback', () => {
  it('books a score for the request named by x-tollgate-request-id, beside the ledger', async () => {
    const { id } = await ask('alice');
    const answer = await h.client.post('/feedback', { body: { requestId: id, thumbs: 'up', label: 'helpful' } });
    expect(answer).toEqual({ requestId: id, score: 1, recorded: true });
    const day = new Date().toISOString().slice(0, 10);
    const line = JSON.parse((await readFile(path.join(h.dataDir, 'ledger', `feedback-${day}.jsonl`), 'utf8')).trim().split('\n').at(-1)!);
    expect(line).toMatchObject({ requestId: id, score: 1, label: 'helpful', policy: 'cost-router' });
  });

  it('refuses an unknown request id with 404 and a body without a score with 400 naming the field', async () => {
    const unknown = await h.post('/v1/feedback', { requestId: 'no-such-request', score: 0.5 });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error).toMatchObject({ code: 'request_not_found', param: 'requestId' });
    const { id } = await ask('bob');
    const neither = await h.post('/v1/feedback', { requestId: id });
    expect(neither.status).toBe(400);
    expect((await neither.json()).error.param).toBe('score');
    const both = await h.post('/v1/feedback', { requestId: id, score: 2 });
    expect(both.status).toBe(400);
  });

  it('reports quality per split branch and per rule, so an A/B test has outcomes, not just costs', async () => {
    // 40 users in parallel; the cheap branch's answers are judged worse.
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => ask(`user-${i}`, 'ab-test')));
    await Promise.all(
      answers.map(({ id, served }) => h.client.post('/feedback', { body: { requestId: id, score: served === 'gpt-4o-mini' ? 0.25 : 0.75 } })),
    );
    const byBranch = await (await fetch(`${h.url}/api/usage?groupBy=branch:ab`)).json();
    const branches = Object.fromEntries(byBranch.groups.map((g: { key: string }) => [g.key, g]));
    const served = (model: string) => answers.filter((a) => a.served === model).length;
    expect(branches.branch0).toMatchObject({ quality: 0.25, feedback: served('gpt-4o-mini') });
    expect(branches.branch1).toMatchObject({ quality: 0.75, feedback: served('gpt-4o') });
    expect(served('gpt-4o-mini')).toBeGreaterThan(5);
    expect(served('gpt-4o')).toBeGreaterThan(5);

    const byRule = await (await fetch(`${h.url}/api/usage?groupBy=rule`)).json();
    expect(byRule.groups.find((g: { key: string }) => g.key === 'full').quality).toBeCloseTo(0.75, 1);
  });

  it('finds a request in the ledger after a restart forgot it', async () => {
    const { id } = await ask('carol');
    await h.server.runtime.close();
    const again = await startHarness({}, { dataDir: h.dataDir, rulesDir: h.rulesDir });
    try {
      const answer = await again.client.post('/feedback', { body: { requestId: id, score: 0.4 } });
      expect(answer).toMatchObject({ requestId: id, score: 0.4 });
    } finally {
      await again.close();
    }
  });
});
