import { LRUCache } from 'lru-cache';
import { CandidateIndex } from './candidate-index.js';
import { pairText, type PairText } from './pair-features.js';
import type { PairVerifier } from './pair-verifier.js';

/** How many nearest stored questions the verifier scores per lookup. */
export const DEFAULT_CANDIDATES = 8;
/** Outcomes an entry remembers for its own threshold: enough to learn from, bounded per entry. */
const MAX_OUTCOMES = 16;
/** Confirmed-right hits an entry needs before it may serve below the calibrated threshold. */
const CONFIRMATIONS_TO_RELAX = 3;
/** How far each further confirmation lowers the entry's threshold, and the most it may be lowered. */
const RELAX_STEP = 0.02;
const MAX_RELAX = 0.1;

/**
 * Parsed questions kept ready for the verifier. A parsed question takes ~7 KB (sets of words and
 * trigrams) against ~100 bytes of text, so only a few recently compared ones are kept: a larger
 * set lives long enough to reach the old generation and die there, and the collections that
 * follow were most of the p99 lookup time at 100,000 entries (11 ms with 4,096 kept, 3 ms with 256).
 */
const PARSED_KEPT = 256;

interface Indexed {
  partition: string;
  text: string;
  /** Scores at which this entry's answer was served and then judged right or wrong (vCache-style online evidence). */
  outcomes: { score: number; correct: boolean }[];
}

export interface SemanticMatch {
  key: string;
  score: number;
}

function terms(text: PairText): Iterable<string> {
  return text.content.size > 0 ? text.content : text.words;
}

/**
 * The semantic half of the cache: each stored last-user-turn's parsed text, an inverted index per
 * partition for candidates, and the pair verifier that decides. Bodies live elsewhere (hot or
 * warm tier); this holds only what a lookup compares.
 */
export class SemanticIndex {
  private readonly entries = new Map<string, Indexed>();
  private readonly partitions = new Map<string, CandidateIndex>();
  private readonly parsed = new LRUCache<string, PairText>({ max: PARSED_KEPT });

  constructor(
    readonly verifier: PairVerifier,
    private readonly candidates = DEFAULT_CANDIDATES,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  add(key: string, partition: string, text: string): void {
    this.remove(key);
    const parsed = pairText(text);
    this.entries.set(key, { partition, text, outcomes: [] });
    this.parsed.set(key, parsed);
    let index = this.partitions.get(partition);
    if (!index) this.partitions.set(partition, (index = new CandidateIndex()));
    index.add(key, terms(parsed));
  }

  remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.parsed.delete(key);
    const index = this.partitions.get(entry.partition);
    index?.remove(key);
    if (index?.size === 0) this.partitions.delete(entry.partition);
  }

  clear(): void {
    this.entries.clear();
    this.partitions.clear();
    this.parsed.clear();
  }

  /**
   * The best stored question the verifier accepts for this query at the base threshold (each
   * entry may have moved its own from feedback), or null. `accept` lets the caller skip entries
   * that have expired.
   */
  match(options: { partition: string; text: string; threshold: number; accept?: (key: string) => boolean }): SemanticMatch | null {
    const accept = options.accept;
    return this.matches(options).find((m) => !accept || accept(m.key)) ?? null;
  }

  /**
   * Every candidate whose score meets its entry's threshold, best first (at most the candidate
   * count). The caller picks the first it can still serve: a worker thread answers with these,
   * and only the caller knows which answers have expired.
   */
  matches(options: { partition: string; text: string; threshold: number }): SemanticMatch[] {
    const base = Math.min(options.threshold, 1);
    const index = this.partitions.get(options.partition);
    if (!index) return [];
    const query = pairText(options.text);
    const found: SemanticMatch[] = [];
    for (const key of index.candidates(terms(query), this.candidates)) {
      const entry = this.entries.get(key)!;
      const stored = this.parsedText(key, entry);
      const score = sameQuestionScore(query, stored) ?? this.verifier.score(query, stored);
      if (score >= entryThreshold(entry, base)) found.push({ key, score });
    }
    return found.sort((a, b) => b.score - a.score);
  }

  private parsedText(key: string, entry: Indexed): PairText {
    let parsed = this.parsed.get(key);
    if (!parsed) this.parsed.set(key, (parsed = pairText(entry.text)));
    return parsed;
  }

  /**
   * Records whether an answer this entry served at `score` was right. A wrong one raises the
   * entry's threshold above that score for good; several right ones (and no wrong one) let it
   * explore a little below the calibrated threshold, one step per confirmation, until a wrong
   * outcome stops it. Returns false for an
   * entry no longer held.
   */
  recordOutcome(key: string, score: number, correct: boolean): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    keepOutcome(entry.outcomes, { score, correct });
    return true;
  }

  /**
   * Gives an entry that has no outcomes here the ones recorded for it elsewhere (a catch-up),
   * oldest first, bounded as they are here. One with outcomes keeps its own: they may hold a
   * verdict given while the shared tier was away.
   */
  restoreOutcomes(key: string, outcomes: readonly { score: number; correct: boolean }[]): boolean {
    const entry = this.entries.get(key);
    if (!entry || entry.outcomes.length > 0) return false;
    for (const o of outcomes) this.recordOutcome(key, o.score, o.correct);
    return true;
  }

  /** The threshold this entry applies now, given the policy's calibrated one. */
  thresholdOf(key: string, base: number): number | null {
    const entry = this.entries.get(key);
    return entry ? entryThreshold(entry, base) : null;
  }
}

/**
 * The same words typed differently (case, punctuation, spacing) are the same question: score 1,
 * served at any bound. The same words after dropping articles, "is/are" and plural `s` go to the
 * verifier like any other pair (its `sameCanonical` feature): QQP labels a fair share of those as
 * different questions ("most haunted places in delhi" / "…place…"), and a fixed score for them all
 * put a block of wrong hits at the top of the calibration. A question that points at something it
 * does not contain ("this video") is never a copy: its answer is not ours.
 */
function sameQuestionScore(a: PairText, b: PairText): number | null {
  if (a.deictic || b.deictic) return null;
  return a.spelled === b.spelled ? 1 : null;
}

/** Appends an outcome to an entry's bounded list, keeping every wrong outcome's lesson: the oldest right one goes first. */
export function keepOutcome(outcomes: { score: number; correct: boolean }[], outcome: { score: number; correct: boolean }): void {
  outcomes.push(outcome);
  if (outcomes.length <= MAX_OUTCOMES) return;
  const oldestRight = outcomes.findIndex((o) => o.correct);
  outcomes.splice(oldestRight >= 0 ? oldestRight : 0, 1);
}

function entryThreshold(entry: Indexed, base: number): number {
  if (entry.outcomes.length === 0) return base;
  let wrongAbove = Number.NEGATIVE_INFINITY;
  let lowestRight = Number.POSITIVE_INFINITY;
  let rights = 0;
  for (const o of entry.outcomes) {
    if (o.correct) {
      rights++;
      lowestRight = Math.min(lowestRight, o.score);
    } else wrongAbove = Math.max(wrongAbove, o.score);
  }
  if (wrongAbove > Number.NEGATIVE_INFINITY) return Math.max(base, wrongAbove + 1e-9);
  if (rights < CONFIRMATIONS_TO_RELAX) return base;
  const relax = Math.min(MAX_RELAX, RELAX_STEP * (rights - CONFIRMATIONS_TO_RELAX + 1));
  return Math.min(base, lowestRight) - relax;
}
