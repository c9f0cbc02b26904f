import type { PairVerifier } from './pair-verifier.js';
import { SemanticIndex, type SemanticMatch } from './semantic-index.js';

export type { SemanticMatch } from './semantic-index.js';

export interface Outcome {
  score: number;
  correct: boolean;
}

export interface SemanticQuery {
  partition: string;
  text: string;
  /** The node's bound; the verifier's calibration turns it into a threshold. */
  maxWrongHitRate: number;
}

/**
 * What the response cache asks of its semantic half. Writes take effect in order before any later
 * lookup; `has` and the outcome answers are known at once, so the cache's bookkeeping stays
 * synchronous whether the index lives on this thread or on a worker.
 */
export interface SemanticMatcher {
  readonly size: number;
  has(key: string): boolean;
  add(key: string, partition: string, text: string): void;
  remove(key: string): void;
  clear(): void;
  /** Entries whose own threshold this question's score meets, best first. */
  matches(query: SemanticQuery): SemanticMatch[] | Promise<SemanticMatch[]>;
  /** False when the entry is not held. */
  recordOutcome(key: string, score: number, correct: boolean): boolean;
  /** False when the entry is not held or already has outcomes of its own. */
  restoreOutcomes(key: string, outcomes: readonly Outcome[]): boolean;
  close(): Promise<void>;
}

/** The index on the caller's thread: for tools, benches and unit tests, and for a verifier given in code. */
export function inlineMatcher(verifier: PairVerifier): SemanticMatcher {
  const index = new SemanticIndex(verifier);
  return {
    get size() {
      return index.size;
    },
    has: (key) => index.has(key),
    add: (key, partition, text) => index.add(key, partition, text),
    remove: (key) => index.remove(key),
    clear: () => index.clear(),
    matches: (query) => index.matches({ partition: query.partition, text: query.text, threshold: verifier.thresholdFor(query.maxWrongHitRate) }),
    recordOutcome: (key, score, correct) => index.recordOutcome(key, score, correct),
    restoreOutcomes: (key, outcomes) => index.restoreOutcomes(key, outcomes),
    close: async () => {},
  };
}
