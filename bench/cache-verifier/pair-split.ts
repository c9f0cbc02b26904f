import { existsSync, readFileSync } from 'node:fs';
import type { LabelledPair } from '../../server/cache/semantic-quality.js';

/** Changing it reshuffles every split; the shipped weights record the one they were built with. */
export const SPLIT_SEED = 'tollgate-qqp-1';
/** Tenths of the pairs held out for testing: never fitted, never used for calibration. */
const TEST_TENTHS = 2;
/** Tenths (after the test ones) that only choose the thresholds of the error bound: never fitted. */
const CALIBRATE_TENTHS = 2;

export const SPLITS = ['fit', 'calibrate', 'test'] as const;
export type Split = (typeof SPLITS)[number];

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Which part a pair is in, from a hash of its text: the same pair lands in the same part in any
 * file. The verifier is fitted on `fit`, its thresholds chosen on `calibrate`, and `test` is only
 * ever reported on.
 */
export function splitOf(pair: LabelledPair): Split {
  const tenth = fnv1a(`${SPLIT_SEED}\u0000${pair.a}\u0000${pair.b}`) % 10;
  if (tenth < TEST_TENTHS) return 'test';
  return tenth < TEST_TENTHS + CALIBRATE_TENTHS ? 'calibrate' : 'fit';
}

/** Which of `folds` cross-fitting folds a pair is in (fit and calibrate pairs only), from a hash of its text like `splitOf`. */
export function foldOf(pair: LabelledPair, folds: number): number {
  return fnv1a(`${SPLIT_SEED}-fold\u0000${pair.a}\u0000${pair.b}`) % folds;
}

/** A duplicate label as exports write it: a boolean, 1/0, or the same as a string. */
function labelOf(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return undefined;
}

/**
 * Pairs from a JSONL file of `{a, b, duplicate}` (also QQP's own `question1`, `question2`,
 * `is_duplicate`); a malformed line is an error naming its number.
 */
export function readPairs(file: string): LabelledPair[] {
  const pairs: LabelledPair[] = [];
  readFileSync(file, 'utf8')
    .replace(/^\uFEFF/, '')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let value: Record<string, unknown>;
      try {
        value = JSON.parse(line) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`${where}: not JSON (${(err as Error).message})`);
      }
      const a = value.a ?? value.question1;
      const b = value.b ?? value.question2;
      const duplicate = labelOf(value.duplicate ?? value.is_duplicate);
      if (typeof a !== 'string' || typeof b !== 'string' || duplicate === undefined) {
        throw new Error(`${where}: expected {"a": string, "b": string, "duplicate": boolean}`);
      }
      pairs.push({ a, b, duplicate });
    });
  return pairs;
}

/** The QQP pairs next to the checkout (`../shared/data`), or next to a worktree one level deeper. */
export function defaultPairsFile(): string {
  const near = '../shared/data/qqp/pairs.jsonl';
  return existsSync(near) ? near : '../../shared/data/qqp/pairs.jsonl';
}
