import { UsageLedger } from '../../server/ledger/usage-ledger.js';
import { ledgerRecord } from './record-fixture.js';

/**
 * Child process for the crash test: appends records forever and prints each id once `append`
 * returned, the way the runtime answers a request once its record is booked. The test kills it.
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer.ts <ledger dir>');
const ledger = new UsageLedger(dir);
let n = 0;

function next(): void {
  for (let i = 0; i < 20; i++) {
    const id = `crash-${n++}`;
    ledger.append(ledgerRecord({ id, time: new Date().toISOString(), tags: { team: 'search', pad: 'x'.repeat(n % 300) } }));
    process.stdout.write(`${id}\n`);
  }
  setImmediate(next);
}
next();
