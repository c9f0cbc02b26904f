/**
 * Rewrites the compiler's golden files from the current compiler. Run it on purpose when a
 * change to compiled output is intended (`npx tsx test/update-golden.ts`), then review the diff.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { compiledText, DIAGNOSTIC_FIXTURES, diagnosticsText, FIXTURES, graphFixtures } from './compiler/golden-files.js';

for (const name of graphFixtures(FIXTURES)) {
  writeFileSync(path.join(FIXTURES, `${name}.rules.json`), compiledText(FIXTURES, name));
  console.log(`wrote fixtures/${name}.rules.json`);
}
for (const name of graphFixtures(DIAGNOSTIC_FIXTURES)) {
  writeFileSync(path.join(DIAGNOSTIC_FIXTURES, `${name}.diagnostics.json`), diagnosticsText(DIAGNOSTIC_FIXTURES, name));
  console.log(`wrote fixtures/diagnostics/${name}.diagnostics.json`);
}
