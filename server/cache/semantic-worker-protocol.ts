import type { Outcome } from './semantic-matcher.js';

/** One change or lookup for the index worker; a batch of them is applied in order. */
export type IndexOp =
  | { op: 'add'; key: string; partition: string; text: string }
  | { op: 'remove'; key: string }
  | { op: 'clear' }
  | { op: 'outcome'; key: string; score: number; correct: boolean }
  | { op: 'restore'; key: string; outcomes: Outcome[] }
  | { op: 'match'; id: number; partition: string; text: string; maxWrongHitRate: number };

export interface IndexBatch {
  ops: IndexOp[];
}

export interface IndexWorkerData {
  /** A verifier weights file; absent, the shipped one. */
  weightsFile?: string;
}
