import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCacheBenchArgs } from '../../bench/cache-verifier/cache-bench-args.js';
import { readPairs } from '../../bench/cache-verifier/pair-split.js';
import { scorePairs } from '../../bench/cache-verifier/score-pairs.js';
import { REPO } from '../http/harness.js';

const FIXTURE = path.join(REPO, 'test/fixtures/cache/pairs.jsonl');

describe('bench:cache', () => {
  it('parses --pairs, --split and --max-wrong-hit-rate, defaulting to the cache node default', () => {
    expect(parseCacheBenchArgs(['--pairs', FIXTURE])).toEqual({ pairs: FIXTURE, split: 'all', maxWrongHitRate: 0.02 });
    expect(parseCacheBenchArgs(['--pairs', FIXTURE, '--split', 'test', '--max-wrong-hit-rate', '0.1'])).toMatchObject({ split: 'test', maxWrongHitRate: 0.1 });
    expect(() => parseCacheBenchArgs(['--split', 'half'])).toThrow(/--split/);
    expect(() => parseCacheBenchArgs(['--max-wrong-hit-rate', '0.9'])).toThrow(/--max-wrong-hit-rate: at most 0.2/);
    expect(() => parseCacheBenchArgs(['--pairz', FIXTURE])).toThrow();
  });

  it('reads pairs and names a malformed line', () => {
    expect(readPairs(FIXTURE)).toHaveLength(4);
    expect(() => readPairs(path.join(REPO, 'test/fixtures/cache/bad-pairs.jsonl'))).toThrow(/bad-pairs.jsonl:2: expected/);
  });

  it('scores each pair through the real cache: rewordings hit, different questions do not', () => {
    expect(scorePairs(readPairs(FIXTURE), 0.02)).toEqual({ duplicateHitRate: 1, wrongHitShare: 0, falseHitRate: 0, pairs: 4 });
  });

  it('prints the result as its last line', () => {
    const out = execFileSync(path.join(REPO, 'node_modules/.bin/tsx'), ['bench/semantic-cache-quality.ts', '--pairs', FIXTURE], { cwd: REPO, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(Object.keys(last)).toEqual(['duplicateHitRate', 'wrongHitShare', 'falseHitRate', 'pairs']);
    expect(last.pairs).toBe(4);
  });
});
