import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedRequest } from '../../server/capture/captured-request.js';
import { edge, node } from '../compiler/graph-builders.js';
import { startHarness, type Harness } from '../http/harness.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';

const PROVIDER_KEY = 'sk-upstream-provider-secret-0123456789';

async function capturedOf(h: Harness, policy: string): Promise<CapturedRequest[]> {
  await h.server.runtime.capture.flush();
  const dir = path.join(h.dataDir, 'capture', policy);
  const names = await readdir(dir).catch(() => [] as string[]);
  const lines: CapturedRequest[] = [];
  for (const name of names) {
    const text = gunzipSync(await readFile(path.join(dir, name))).toString('utf8');
    for (const line of text.split('\n')) if (line) lines.push(JSON.parse(line) as CapturedRequest);
  }
  return lines;
}

async function rawCapture(h: Harness): Promise<string> {
  const root = path.join(h.dataDir, 'capture');
  let all = '';
  for (const policy of await readdir(root)) {
    for (const name of await readdir(path.join(root, policy))) all += gunzipSync(await readFile(path.join(root, policy, name))).toString('utf8');
  }
  return all;
}

describe('traffic capture with TOLLGATE_CAPTURE=all', () => {
  let upstream: UpstreamServer;
  let h: Harness;
  beforeAll(async () => {
    upstream = await startOpenAIUpstream();
    h = await startHarness({ OPENAI_BASE_URL: upstream.url, OPENAI_API_KEY: PROVIDER_KEY, TOLLGATE_CAPTURE: 'all' });
  });
  afterAll(async () => {
    await h.close();
    await upstream.close();
  });

  it('stores 50 parallel requests once each, keyed by their ledger id, redacted, without any key', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        h.client.chat.completions
          .create(
            { model: 'gpt-4o', max_tokens: 64, messages: [{ role: 'user', content: `I am user${i}@example.com, card 4111 1111 1111 1111, key sk-live-abcdefghijklmnop${i}. Question ${i}?` }] },
            { headers: { 'x-tollgate-tags': `team=t${i % 3}`, 'x-tollgate-user': `u${i}` } },
          )
          .withResponse(),
      ),
    );
    const ids = answers.map((a) => a.response.headers.get('x-tollgate-request-id')!);
    const captured = await capturedOf(h, 'cost-router');
    expect(captured.map((c) => c.id).sort()).toEqual([...ids].sort());
    const byId = new Map(captured.map((c) => [c.id, c]));
    const first = byId.get(ids[7]!)!;
    expect(first).toMatchObject({ policy: 'cost-router', request: { model: 'gpt-4o', max_tokens: 64 }, caller: { tags: { team: 't1' }, user: 'u7' } });
    expect(first.caller.serviceKey).toMatch(/^key_[0-9a-f]{12}$/);
    expect(Date.parse(first.factsTime)).toBeLessThanOrEqual(Date.parse(first.time));
    expect(JSON.stringify(first.request.messages)).toMatch(/I am \[redacted-email:\w{8}\], card \[redacted-card:\w{8}\], key \[redacted-key:\w{8}\]\. Question 7\?/);

    const raw = await rawCapture(h);
    expect(raw).not.toContain('example.com');
    // The card as it was sent: '4111' alone turns up by chance in the records' random ids and hashes.
    expect(raw).not.toContain('4111 1111');
    expect(raw).not.toContain(PROVIDER_KEY);
    expect(raw).not.toContain('sk-test-service-key');
    // The provider did get the unredacted text: capture changes nothing on the way out.
    expect(JSON.stringify(upstream.requests.at(-1)?.body)).toContain('@example.com');
  });
});

describe('traffic capture per policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('captures a policy whose graph turns capture on, and not the others', async () => {
    const graph = {
      id: 'captured',
      name: 'captured',
      settings: { capture: { enabled: true, retentionDays: 3 } },
      nodes: [node('req', 'request'), node('all', 'route', { model: 'gpt-4o-mini' })],
      edges: [edge('req', 'next', 'all')],
    };
    expect((await h.post('/api/policies/captured/publish', { graph })).status).toBe(200);
    const file = JSON.parse(await readFile(path.join(h.rulesDir, 'captured.json'), 'utf8'));
    expect(file.graph.settings).toEqual({ capture: { enabled: true, retentionDays: 3 } });

    const ask = (policy: string) =>
      h.client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello' }] }, { headers: { 'x-tollgate-policy': policy } });
    await Promise.all([ask('captured'), ask('captured'), ask('cost-router')]);
    expect(await capturedOf(h, 'captured')).toHaveLength(2);
    expect(await capturedOf(h, 'cost-router')).toHaveLength(0);
  });

  it('refuses bad capture settings with a 400 naming the field', async () => {
    const graph = {
      id: 'bad',
      name: 'bad',
      settings: { capture: { enabled: true, retentionDays: 0 } },
      nodes: [node('req', 'request'), node('all', 'route', { model: 'gpt-4o-mini' })],
      edges: [edge('req', 'next', 'all')],
    };
    const answer = await h.post('/api/policies/bad/publish', { graph });
    expect(answer.status).toBe(400);
    expect((await answer.json()).error.field).toBe('graph.settings.capture.retentionDays');
  });
});

describe('redaction marks across instances', () => {
  const SECRET = 'shared-key-secret-0123456789abcdef';
  const instances: Harness[] = [];
  beforeAll(async () => {
    for (const secret of [SECRET, SECRET, 'another-key-secret-0123456789abcd']) instances.push(await startHarness({ TOLLGATE_CAPTURE: 'all', TOLLGATE_KEY_SECRET: secret }));
  });
  afterAll(() => Promise.all(instances.map((h) => h.close())));

  it('are the same on instances sharing TOLLGATE_KEY_SECRET, and differ under another secret', async () => {
    const marks: string[] = [];
    for (const h of instances) {
      await h.client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Write to ana@example.com about the invoice.' }] });
      const [captured] = await capturedOf(h, 'cost-router');
      const content = String(captured!.request.messages[0]!.content);
      expect(content).not.toContain('ana@example.com');
      marks.push(/\[redacted-email:[0-9a-f]{8}\]/.exec(content)![0]);
    }
    expect(marks[1]).toBe(marks[0]);
    expect(marks[2]).not.toBe(marks[0]);
  });
});
