import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { shippedVerifier, VERIFIER_WEIGHTS_FILE } from '../../server/cache/pair-verifier.js';
import { inlineMatcher, type SemanticMatcher } from '../../server/cache/semantic-matcher.js';
import { workerMatcher } from '../../server/cache/semantic-worker-matcher.js';

const STORED = [
  'What is the capital of France?',
  'How do I learn to play the guitar?',
  'What is the best way to lose weight quickly?',
  'How can I improve my English speaking skills?',
  'Why is the sky blue?',
  'What are the most haunted places in Delhi?',
  'How do I become a data scientist?',
  'What is the meaning of life?',
];
const ASKED = [
  "what's the capital of france",
  'How do I learn to play guitar?',
  'What is the fastest way to lose weight?',
  'How can I improve my spoken English?',
  'why is the sky blue',
  'What are the most haunted place in Delhi?',
  'How can I become a data scientist?',
  'What is the purpose of life?',
  'How do I cook rice?',
];

const open: SemanticMatcher[] = [];
const started = (matcher: SemanticMatcher) => (open.push(matcher), matcher);
afterEach(async () => {
  await Promise.all(open.splice(0).map((m) => m.close()));
});

function fill(matcher: SemanticMatcher) {
  STORED.forEach((q, i) => matcher.add(`k${i}`, 'p', q));
}

describe('semantic index on a worker thread', () => {
  it('finds what the index on this thread finds, at every bound', async () => {
    const worker = started(workerMatcher());
    const inline = inlineMatcher(shippedVerifier());
    fill(worker);
    fill(inline);
    for (const maxWrongHitRate of [0.02, 0.1, 0.2]) {
      for (const text of ASKED) {
        const query = { partition: 'p', text, maxWrongHitRate };
        expect(await worker.matches(query), `${text} at ${maxWrongHitRate}`).toEqual(await inline.matches(query));
      }
    }
    expect((await worker.matches({ partition: 'p', text: 'why is the sky blue', maxWrongHitRate: 0.02 }))[0]).toEqual({ key: 'k4', score: 1 });
  });

  it('answers a lookup after every change made before it', async () => {
    const worker = started(workerMatcher());
    worker.add('a', 'p', 'Why is the sky blue?');
    const asked = { partition: 'p', text: 'why is the sky blue', maxWrongHitRate: 0.02 };
    expect(await worker.matches(asked)).toEqual([{ key: 'a', score: 1 }]);
    worker.remove('a');
    worker.add('b', 'p', 'Why is the sky blue ?');
    expect(await worker.matches(asked)).toEqual([{ key: 'b', score: 1 }]);
    expect(await worker.matches({ ...asked, partition: 'other' })).toEqual([]);
    worker.clear();
    expect(worker.size).toBe(0);
    expect(await worker.matches(asked)).toEqual([]);
  });

  it('gives 50 parallel lookups each its own answer', async () => {
    const worker = started(workerMatcher());
    const questions = Array.from({ length: 50 }, (_, i) => `How do I configure feature ${i} of the dashboard for team ${i * 7}?`);
    questions.forEach((q, i) => worker.add(`k${i}`, 'p', q));
    const found = await Promise.all(questions.map((q) => worker.matches({ partition: 'p', text: q.toUpperCase(), maxWrongHitRate: 0.02 })));
    expect(found.map((m) => m[0]?.key)).toEqual(questions.map((_, i) => `k${i}`));
  });

  it('keeps entry outcomes: a wrong verdict stops the entry serving at that score', async () => {
    const worker = started(workerMatcher());
    fill(worker);
    const asked = { partition: 'p', text: "what's the capital of france", maxWrongHitRate: 0.1 };
    const [hit] = await worker.matches(asked);
    expect(hit?.key).toBe('k0');
    expect(worker.recordOutcome('k0', hit!.score, false)).toBe(true);
    expect(await worker.matches(asked)).toEqual([]);
    expect(worker.recordOutcome('gone', 0.9, true)).toBe(false);
    expect(worker.restoreOutcomes('k0', [{ score: 0.99, correct: true }])).toBe(false);
    expect(worker.restoreOutcomes('k1', [{ score: 0.99, correct: true }])).toBe(true);
  });

  it('misses at once for lookups past its bound instead of queueing them behind the others', async () => {
    const faults: string[] = [];
    const worker = started(workerMatcher({ maxPending: 5, onFault: (f) => faults.push(f.kind) }));
    fill(worker);
    const answers = await Promise.all(Array.from({ length: 50 }, () => worker.matches({ partition: 'p', text: 'why is the sky blue', maxWrongHitRate: 0.02 })));
    expect(answers.filter((a) => a[0]?.key === 'k4')).toHaveLength(5);
    expect(answers.filter((a) => a.length === 0)).toHaveLength(45);
    expect(faults).toEqual(['busy']);
    // Once the queue has drained, lookups are answered again.
    expect((await worker.matches({ partition: 'p', text: 'why is the sky blue', maxWrongHitRate: 0.02 }))[0]?.key).toBe('k4');
  });

  it('misses while its worker cannot run, then starts a new one holding every entry and verdict', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tg-worker-'));
    const weightsFile = path.join(dir, 'weights.json');
    writeFileSync(weightsFile, '{"version": "cut off');
    const faults: string[] = [];
    const worker = started(workerMatcher({ weightsFile, restartDelayMs: 50, onFault: (f) => faults.push(f.kind) }));
    fill(worker);
    const asked = { partition: 'p', text: "what's the capital of france", maxWrongHitRate: 0.1 };
    expect(await worker.matches(asked)).toEqual([]);
    await expect.poll(() => faults.length).toBeGreaterThan(0);
    expect(faults[0]).toMatch(/error|exit/);
    expect(worker.recordOutcome('k0', 0.5, true)).toBe(true);
    worker.add('late', 'p', 'Why is the grass green?');

    copyFileSync(fileURLToPath(VERIFIER_WEIGHTS_FILE), weightsFile);
    await expect.poll(async () => (await worker.matches(asked))[0]?.key).toBe('k0');
    expect(await worker.matches({ partition: 'p', text: 'why is the grass green', maxWrongHitRate: 0.02 })).toEqual([{ key: 'late', score: 1 }]);
    expect(worker.restoreOutcomes('k0', [])).toBe(false);
  });
});
