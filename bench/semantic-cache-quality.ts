import { parseCacheBenchArgs } from './cache-verifier/cache-bench-args.js';
import { readPairs, splitOf } from './cache-verifier/pair-split.js';
import { scoreOwnPartitions, scorePairs } from './cache-verifier/score-pairs.js';

/**
 * npm run bench:cache -- --pairs FILE [--split fit|calibrate|test] [--max-wrong-hit-rate 0.02]:
 * stores every pair's first question in one cache partition and looks up each second question
 * among all of them, through the real cache at the default setting (pairs are JSONL
 * {a, b, duplicate}); the last line is the JSON result. `--split test` keeps only the pairs the
 * shipped verifier was neither fitted nor calibrated on.
 */
const args = parseCacheBenchArgs(process.argv.slice(2));
const pairs = readPairs(args.pairs).filter((p) => args.split === 'all' || splitOf(p) === args.split);
console.log(`${args.pairs} (${args.split}): ${pairs.length} pairs, max wrong-hit rate ${args.maxWrongHitRate}`);
console.log(`each pair alone in its partition: ${JSON.stringify(await scoreOwnPartitions(pairs, args.maxWrongHitRate))}`);
console.log(JSON.stringify(await scorePairs(pairs, args.maxWrongHitRate)));
