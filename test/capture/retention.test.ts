import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { captureFile, enforceRetention } from '../../server/capture/capture-files.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-capture-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function put(policy: string, day: string, size: number): Promise<void> {
  const file = captureFile(dir, policy, day);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, Buffer.alloc(size));
}

const left = async (policy: string) => (await readdir(path.join(dir, policy))).sort();

describe('capture retention', () => {
  it('deletes files older than each policy’s retention in days, today counted', async () => {
    for (const day of ['2025-06-01', '2025-06-05', '2025-06-06', '2025-06-07']) {
      await put('a', day, 10);
      await put('b', day, 10);
    }
    await enforceRetention({ captureDir: dir, retentionDays: new Map([['a', 2]]), defaultDays: 5, maxBytes: 1e9, today: '2025-06-07' });
    expect(await left('a')).toEqual(['capture-2025-06-06.jsonl.gz', 'capture-2025-06-07.jsonl.gz']);
    expect(await left('b')).toEqual(['capture-2025-06-05.jsonl.gz', 'capture-2025-06-06.jsonl.gz', 'capture-2025-06-07.jsonl.gz']);
  });

  it('deletes the oldest files of any policy until the total fits the byte cap', async () => {
    await put('a', '2025-06-05', 100);
    await put('b', '2025-06-06', 100);
    await put('a', '2025-06-07', 100);
    const deleted = await enforceRetention({ captureDir: dir, retentionDays: new Map(), defaultDays: 7, maxBytes: 150, today: '2025-06-07' });
    expect(deleted.map((f) => path.relative(dir, f))).toEqual([path.join('a', 'capture-2025-06-05.jsonl.gz'), path.join('b', 'capture-2025-06-06.jsonl.gz')]);
    expect(await left('a')).toEqual(['capture-2025-06-07.jsonl.gz']);
  });
});
