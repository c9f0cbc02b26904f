import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FIXTURES, graphFixtures } from '../compiler/golden-files.js';

/**
 * Fills a test's own rules folder with the example policies from their golden fixtures, never
 * from the repository's rules/ (a developer's local publish there must not change a test).
 * `npm run compile` proves rules/ holds what the same graphs compile to.
 */
export async function copyExampleRules(rulesDir: string): Promise<void> {
  await mkdir(rulesDir, { recursive: true });
  for (const name of graphFixtures(FIXTURES)) await copyFile(path.join(FIXTURES, `${name}.rules.json`), path.join(rulesDir, `${name}.json`));
}
