import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCacheBenchArgs } from '../../bench/cache-verifier/cache-bench-args.js';
import { hitJudge } from '../../bench/cache-verifier/hit-judge.js';
import { readPairs, splitOf } from '../../bench/cache-verifier/pair-split.js';
import { scoreOwnPartitions, scorePairs } from '../../bench/cache-verifier/score-pairs.js';
import { REPO } from '../http/harness.js';
import { writeToyBenchData } from '../support/toy-bench-data.js';

// Hand-written pairs in the data's format, written for the test: the benchmark data itself is read from ../shared/data, never committed.
let toyData: string;
let FIXTURE: string;
beforeAll(async () => {
  toyData = await writeToyBenchData();
  FIXTURE = path.join(toyData, 'cache/toy-pairs.jsonl');
});
afterAll(() => rm(toyData, { recursive: true, force: true }));

describe('bench:cache', () => {
  it('parses --pairs, --split and --max-wrong-hit-rate, defaulting to the cache node default', () => {
    expect(parseCacheBenchArgs(['--pairs', FIXTURE])).toEqual({ pairs: FIXTURE, split: 'all', maxWrongHitRate: 0.02 });
    expect(parseCacheBenchArgs(['--pairs', FIXTURE, '--split', 'test', '--max-wrong-hit-rate', '0.1'])).toMatchObject({ split: 'test', maxWrongHitRate: 0.1 });
    expect(parseCacheBenchArgs(['--pairs', FIXTURE, '--split', 'calibrate'])).toMatchObject({ split: 'calibrate' });
    expect(() => parseCacheBenchArgs(['--split', 'half'])).toThrow(/--split/);
    expect(() => parseCacheBenchArgs(['--max-wrong-hit-rate', '0.9'])).toThrow(/--max-wrong-hit-rate: at most 0.2/);
    expect(() => parseCacheBenchArgs(['--pairz', FIXTURE])).toThrow();
  });

  it('reads pairs and names a malformed line', () => {
    expect(readPairs(FIXTURE)).toHaveLength(4);
    expect(() => readPairs(path.join(toyData, 'cache/toy-bad-pairs.jsonl'))).toThrow(/bad-pairs.jsonl:2: expected/);
  });

  it('reads labels as 1/0 or strings and QQP\'s own field names, and names a line that is not JSON', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-pairs-'));
    try {
      const file = path.join(dir, 'pairs.jsonl');
      await writeFile(
        file,
        '\uFEFF{"a": "How do I cook rice?", "b": "How to cook rice?", "duplicate": 1}\r\n' +
          '{"question1": "Why is the sky blue?", "question2": "Why is grass green?", "is_duplicate": "0"}\n' +
          '{"a": "Is tea good?", "b": "Is tea healthy?", "duplicate": "true"}\n',
      );
      expect(readPairs(file).map((p) => p.duplicate)).toEqual([true, false, true]);
      expect(readPairs(file)[1]!.a).toBe('Why is the sky blue?');
      await writeFile(file, '{"a": "x", "b": "y", "duplicate": true}\n{"a": "x", \n');
      expect(() => readPairs(file)).toThrow(/pairs.jsonl:2: not JSON/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('scores each pair through the real cache: rewordings hit, different questions do not', async () => {
    expect(await scorePairs(readPairs(FIXTURE), 0.02)).toEqual({ duplicateHitRate: 1, wrongHitShare: 0, falseHitRate: 0, pairs: 4 });
    expect(await scoreOwnPartitions(readPairs(FIXTURE), 0.02)).toEqual({ duplicateHitRate: 1, wrongHitShare: 0, falseHitRate: 0, pairs: 4 });
  });

  it('looks every second question up among all first questions: a hit on another pair no label connects is wrong', async () => {
    const pairs = [
      { a: "What's the capital of France", b: 'How do I bake bread?', duplicate: false },
      { a: 'How do I learn Python quickly?', b: 'What is the capital of France?', duplicate: false },
    ];
    // At a 20% bound the same words without articles are served.
    expect(await scorePairs(pairs, 0.2)).toMatchObject({ duplicateHitRate: 0, wrongHitShare: 1 });
    expect(await scoreOwnPartitions(pairs, 0.2)).toMatchObject({ wrongHitShare: 0, falseHitRate: 0 });
    const labelled = [...pairs, { a: "What's the capital of France", b: 'What is the capital of France?', duplicate: true }];
    expect(await scorePairs(labelled, 0.2)).toMatchObject({ duplicateHitRate: 1, wrongHitShare: 0 });
  });

  it('judges a hit right when duplicate labels chain the two questions, or they differ only in case and punctuation', () => {
    const right = hitJudge([
      { a: 'How do I learn Java?', b: 'What is the best way to learn Java?', duplicate: true },
      { a: 'What is the best way to learn Java?', b: 'How can I learn Java fast?', duplicate: true },
      { a: 'How do I learn Java?', b: 'How do I learn Python?', duplicate: false },
    ]);
    expect(right('How can I learn Java fast?', 'How do I learn Java?')).toBe(true);
    expect(right('How do I learn Python?', 'How do I learn Java?')).toBe(false);
    expect(right('how do i learn python', 'How do I learn Python?!')).toBe(true);
  });

  it('splits pairs by a hash of their text into fit, calibrate and test parts, about 6:2:2', () => {
    const pairs = Array.from({ length: 2000 }, (_, i) => ({ a: `question ${i}`, b: `other ${i}`, duplicate: false }));
    const counts = { fit: 0, calibrate: 0, test: 0 };
    for (const p of pairs) counts[splitOf(p)]++;
    expect(counts.fit).toBeGreaterThan(1100);
    expect(counts.calibrate).toBeGreaterThan(300);
    expect(counts.test).toBeGreaterThan(300);
    expect(splitOf(pairs[7]!)).toBe(splitOf({ ...pairs[7]! }));
  });

  it('prints the result as its last line', () => {
    const out = execFileSync(path.join(REPO, 'node_modules/.bin/tsx'), ['bench/semantic-cache-quality.ts', '--pairs', FIXTURE], { cwd: REPO, encoding: 'utf8' });
    const last = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(Object.keys(last)).toEqual(['duplicateHitRate', 'wrongHitShare', 'falseHitRate', 'pairs']);
    expect(last.pairs).toBe(4);
  });
});
