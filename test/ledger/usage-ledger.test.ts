import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLedger, type SkippedLine } from '../../server/ledger/read-ledger.js';
import { UsageLedger } from '../../server/ledger/usage-ledger.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { ledgerRecord } from './record-fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tollgate-ledger-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function readAll(options: Parameters<typeof readLedger>[1] = {}): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for await (const r of readLedger(dir, { onSkip: () => {}, ...options })) records.push(r);
  return records;
}

describe('usage ledger', () => {
  it('reads back what was appended, in order', async () => {
    const ledger = new UsageLedger(dir);
    ledger.append(ledgerRecord({ id: 'a' }));
    ledger.append(ledgerRecord({ id: 'b', error: 'upstream 500', status: 502 }));
    ledger.close();
    const records = await readAll();
    expect(records.map((r) => r.id)).toEqual(['a', 'b']);
    expect(records[1]).toEqual(ledgerRecord({ id: 'b', error: 'upstream 500', status: 502 }));
  });

  it('writes one file per UTC day', async () => {
    const ledger = new UsageLedger(dir);
    ledger.append(ledgerRecord({ id: 'before', time: '2025-03-10T23:59:59.999Z' }));
    ledger.append(ledgerRecord({ id: 'after', time: '2025-03-11T00:00:00.000Z' }));
    ledger.close();
    expect(readdirSync(dir).sort()).toEqual(['usage-2025-03-10.jsonl', 'usage-2025-03-11.jsonl']);
    expect((await readAll({ from: '2025-03-11T00:00:00Z' })).map((r) => r.id)).toEqual(['after']);
    expect((await readAll({ to: '2025-03-11T00:00:00Z' })).map((r) => r.id)).toEqual(['before']);
  });

  it('skips a torn last line with a warning and keeps appending after it', async () => {
    const ledger = new UsageLedger(dir);
    ledger.append(ledgerRecord({ id: 'whole' }));
    ledger.close();
    const file = path.join(dir, 'usage-2025-03-10.jsonl');
    appendFileSync(file, JSON.stringify(ledgerRecord({ id: 'torn' })).slice(0, 40));

    const reopened = new UsageLedger(dir);
    reopened.append(ledgerRecord({ id: 'after-restart' }));
    reopened.close();

    const skipped: SkippedLine[] = [];
    const records = await readAll({ onSkip: (s) => skipped.push(s) });
    expect(records.map((r) => r.id)).toEqual(['whole', 'after-restart']);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ file, line: 2 });
  });

  it('counts writes to a full disk instead of throwing, and logs once', () => {
    const errors: string[] = [];
    symlinkSync('/dev/full', path.join(dir, 'usage-2025-04-01.jsonl'));
    const ledger = new UsageLedger(dir, { log: { warn: () => {}, error: (_o, msg) => errors.push(msg) } });
    const record = ledgerRecord({ id: 'x', time: '2025-04-01T00:00:00Z' });
    const written = [ledger.append(record), ledger.append({ ...record, id: 'y' })];
    ledger.close();
    expect(written).toEqual([false, false]);
    expect(ledger.stats).toMatchObject({ appended: 0, failed: 2 });
    expect(errors).toHaveLength(1);
  });

  it('loses no acknowledged record when the process is killed', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'crash-writer.ts'), dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: string[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      acknowledged.push(...lines);
      if (acknowledged.length >= 3000 && !child.killed) child.kill('SIGKILL');
    });
    const [, signal] = await once(child, 'exit');
    expect(signal).toBe('SIGKILL');

    const booked = new Set((await readAll()).map((r) => r.id));
    const lost = acknowledged.filter((id) => !booked.has(id));
    expect(acknowledged.length).toBeGreaterThanOrEqual(3000);
    expect(lost).toEqual([]);
  });

  it('keeps every line whole while the fsync timer runs', async () => {
    const ledger = new UsageLedger(dir, { fsyncIntervalMs: 5 });
    for (let i = 0; i < 200; i++) ledger.append(ledgerRecord({ id: `r${i}` }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    ledger.close();
    const text = readFileSync(path.join(dir, 'usage-2025-03-10.jsonl'), 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(200);
    expect(ledger.stats).toMatchObject({ appended: 200, failed: 0 });
  });
});

describe('group commit', () => {
  it('writes the records of one event-loop turn with one write, each answer sent only after its record is on file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ledger-group-'));
    const ledger = new UsageLedger(dir);
    const seenBySender: number[] = [];
    const lines = () => {
      const files = readdirSync(dir);
      return files.length === 0 ? 0 : readFileSync(path.join(dir, files[0]!), 'utf8').trim().split('\n').length;
    };
    const sent = new Promise<void>((resolve) => {
      for (let i = 0; i < 5; i++) {
        ledger.appendThen(ledgerRecord({ id: `r${i}` }), () => {
          seenBySender.push(lines());
          if (seenBySender.length === 5) resolve();
        });
      }
    });
    expect(lines()).toBe(0);
    await sent;
    expect(seenBySender).toEqual([5, 5, 5, 5, 5]);
    expect(ledger.stats.appended).toBe(5);
    ledger.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
