import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../server/ledger/read-ledger.js';
import { copyExampleRules } from '../support/example-rules.js';
import { REPO } from './harness.js';
import { waitFor } from './wait-for.js';

const children: ChildProcess[] = [];
let root = '';
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (root) await rm(root, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The real `npm start` entry point in its own process, so it can really be killed. */
async function startRuntime(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      TOLLGATE_RULES: path.join(root, 'rules'),
      TOLLGATE_DATA: path.join(root, 'data'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.ok, 200, 50);
  return child;
}

describe('the usage ledger survives a crash', () => {
  it('has every acknowledged request after the process is killed mid-traffic and restarted', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'tollgate-crash-'));
    await copyExampleRules(path.join(root, 'rules'));
    const port = await freePort();
    const child = await startRuntime(port);

    const acknowledged: string[] = [];
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-tollgate-tags': 'team=search' },
          body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: `question ${acknowledged.length}` }] }),
        }).catch(() => null);
        if (!response) return;
        const body = await response.text().catch(() => null);
        if (response.status === 200 && body !== null) acknowledged.push(response.headers.get('x-tollgate-request-id')!);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await waitFor(async () => acknowledged.length >= 300, 400, 10);
    child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);

    await startRuntime(port);
    const booked = new Set<string>();
    for await (const record of readLedger(path.join(root, 'data', 'ledger'), { onSkip: () => {} })) booked.add(record.id);
    const missing = acknowledged.filter((id) => !booked.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(missing).toEqual([]);

    const again = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'still there?' }] }),
    });
    expect(again.status).toBe(200);
  });
});

describe('kept responses survive a crash', () => {
  it('after a kill mid-traffic, every acknowledged response reads back exactly as answered, and each conversation continues from its last answered turn', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-crash-responses-'));
    const previous = root;
    root = dir;
    try {
      await copyExampleRules(path.join(root, 'rules'));
      const port = await freePort();
      const child = await startRuntime(port);
      const post = (body: unknown) =>
        fetch(`http://127.0.0.1:${port}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-crash' }, body: JSON.stringify(body) });

      // Eight conversations grow turn by turn until the kill; two more callers send single turns
      // of 100 KB (records written off the event loop), and the kill comes as one is answered.
      const answered = new Map<string, unknown>();
      const lastTurns = new Set<string>();
      let killed = false;
      const kill = () => {
        child.kill('SIGKILL');
        killed = true;
      };
      const largeTurns = async (n: number) => {
        for (let turn = 0; !killed; turn++) {
          const response = await post({ model: 'gpt-4o-mini', input: `${n}.${turn} ${'long context '.repeat(8_000)}` }).catch(() => null);
          const body = response?.status === 200 ? ((await response.json().catch(() => null)) as { id: string; output: unknown } | null) : null;
          if (!body) return;
          answered.set(body.id, body.output);
          if (answered.size >= 200 && !killed) kill();
        }
      };
      const conversation = async () => {
        let previousId: string | undefined;
        while (!killed) {
          const response = await post({ model: 'gpt-4o-mini', input: `turn ${answered.size}`, ...(previousId ? { previous_response_id: previousId } : {}) }).catch(() => null);
          const body = response?.status === 200 ? ((await response.json().catch(() => null)) as { id: string; output: unknown } | null) : null;
          if (!body) return;
          answered.set(body.id, body.output);
          if (previousId) lastTurns.delete(previousId);
          lastTurns.add(body.id);
          previousId = body.id;
        }
      };
      const workers = [...Array.from({ length: 8 }, conversation), largeTurns(1), largeTurns(2)];
      await Promise.all(workers);
      expect(killed).toBe(true);

      await startRuntime(port);
      const read = (id: string) => fetch(`http://127.0.0.1:${port}/v1/responses/${id}`, { headers: { authorization: 'Bearer sk-crash' } });
      // Each record is on disk before its answer is sent: none acknowledged is lost.
      for (const [id, output] of answered) {
        const response = await read(id);
        expect(response.status).toBe(200);
        expect(((await response.json()) as { output: unknown }).output).toEqual(output);
      }
      for (const last of lastTurns) {
        const continued = await post({ model: 'gpt-4o-mini', input: 'and then?', previous_response_id: last });
        expect(continued.status).toBe(200);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
      root = previous;
    }
  });
});
