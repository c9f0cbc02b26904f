import { createResponseCache } from '../server/cache/response-cache.js';
import { cacheAction, cacheInput, completion } from '../test/cache/cache-fixture.js';

/** Prints what cache lookups cost (run: npx tsx bench/cache-cost.ts). */
async function time(label: string, n: number, run: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < Math.min(n, 1000); i++) await run(i);
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run(i);
  const us = Number(process.hrtime.bigint() - started) / 1000 / n;
  console.log(`${label}: ${us.toFixed(1)} µs`);
}

const cache = createResponseCache();
const exact = cacheAction();
const semantic = cacheAction({ mode: 'semantic' });
const question = (i: number) => `Question number ${i}: how do I configure feature ${i % 97} of product ${i}?`;
for (let i = 0; i < 256; i++) cache.store(semantic, cacheInput(question(i)), completion(`answer ${i}`));

await time('exact hit', 20_000, (i) => cache.lookup(exact, cacheInput(question(i % 256))));
await time('exact miss', 20_000, (i) => cache.lookup(exact, cacheInput(`never stored ${i}`)));
await time('semantic miss, 256 entries indexed', 5_000, (i) => cache.lookup(semantic, cacheInput(`something else entirely ${i}`)));
await time('store (semantic)', 5_000, (i) => cache.store(semantic, cacheInput(`stored ${i}`), completion('x')));
console.log(cache.stats());
