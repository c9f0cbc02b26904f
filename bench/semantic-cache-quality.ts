import { readFileSync } from 'node:fs';
import { semanticCacheQuality, type LabelledPair } from '../server/cache/semantic-quality.js';

/**
 * Prints the semantic cache's hit and false-hit rates on labelled question pairs
 * (run: npx tsx bench/semantic-cache-quality.ts [pairs.jsonl]; the data stays outside the repo).
 */
const file = process.argv[2] ?? '../shared/data/qqp/pairs.jsonl';
const pairs: LabelledPair[] = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as LabelledPair);
const rows = semanticCacheQuality(pairs, [0.8, 0.85, 0.88, 0.9, 0.92, 0.94, 0.95, 0.97, 0.99]);
console.log(`${rows[0]?.duplicates ?? 0} duplicate pairs, ${rows[0]?.nonDuplicates ?? 0} others`);
console.log('threshold  hit rate  false-hit rate');
for (const r of rows) console.log(`${r.threshold.toFixed(2).padStart(9)}  ${(r.hitRate * 100).toFixed(1).padStart(7)}%  ${(r.falseHitRate * 100).toFixed(2).padStart(13)}%`);
