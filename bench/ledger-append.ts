import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { UsageLedger } from '../server/ledger/usage-ledger.js';
import { ledgerRecord } from '../test/ledger/record-fixture.js';

/** Prints what one ledger append costs on this machine (run: npx tsx bench/ledger-append.ts). */
const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-ledger-bench-'));
const ledger = new UsageLedger(dir, { fsyncIntervalMs: 1000 });
const n = 100_000;
const records = Array.from({ length: 1000 }, (_, i) => ledgerRecord({ id: `bench-${i}`, time: new Date().toISOString() }));
for (let i = 0; i < 5000; i++) ledger.append(records[i % 1000]!);

const samples: number[] = [];
const started = process.hrtime.bigint();
for (let i = 0; i < n; i++) {
  const t0 = process.hrtime.bigint();
  ledger.append(records[i % 1000]!);
  samples.push(Number(process.hrtime.bigint() - t0) / 1000);
}
const totalMs = Number(process.hrtime.bigint() - started) / 1e6;
samples.sort((a, b) => a - b);
const at = (q: number) => samples[Math.floor(q * (samples.length - 1))]!.toFixed(1);
console.log(`ledger append: ${n} records in ${totalMs.toFixed(0)} ms (${((n / totalMs) * 1000).toFixed(0)}/s)`);
console.log(`per append µs: p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  max ${at(1)}`);
console.log(`bytes: ${ledger.stats.bytes}, failed: ${ledger.stats.failed}`);
ledger.close();
rmSync(dir, { recursive: true, force: true });
