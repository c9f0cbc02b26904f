import { parseCacheBenchArgs } from './cache-verifier/cache-bench-args.js';
import { readPairs, splitOf } from './cache-verifier/pair-split.js';
import { scorePairs, scoreSharedPartition } from './cache-verifier/score-pairs.js';

/**
 * npm run bench:cache -- --pairs FILE [--split test] [--max-wrong-hit-rate 0.02]: scores the
 * semantic cache at its default setting on labelled pairs (JSONL {a, b, duplicate}); the last
 * line is the JSON result. `--split test` keeps only the pairs the shipped verifier never saw.
 */
const args = parseCacheBenchArgs(process.argv.slice(2));
const pairs = readPairs(args.pairs).filter((p) => args.split === 'all' || splitOf(p) === args.split);
const result = scorePairs(pairs, args.maxWrongHitRate);
console.log(`${args.pairs} (${args.split}): ${pairs.length} pairs, max wrong-hit rate ${args.maxWrongHitRate}`);
const shared = scoreSharedPartition(pairs, args.maxWrongHitRate);
console.log(`all first questions in one partition: ${shared.ownHits} hits on the pair's own question (${shared.ownWrong} wrong), ${shared.otherHits} on another pair's (unlabelled)`);
console.log(JSON.stringify(result));
