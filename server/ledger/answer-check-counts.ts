import type { LedgerRecord } from './ledger-record.js';

/** What one record adds to the answer-check counters of a usage group. */
export interface AnswerCheckCounts {
  checked: number;
  /** Asked again and answered by the strong model (a cheap answer kept after a failed check is not). */
  escalated: number;
  /** What the discarded cheap call of an escalated request cost (already in the record's cost). */
  escalatedCheapMicros: number;
}

export function answerCheckCounts(r: LedgerRecord): AnswerCheckCounts {
  const check = r.answerCheck;
  const escalated = check?.escalated === true && check.kept === undefined;
  return { checked: check ? 1 : 0, escalated: escalated ? 1 : 0, escalatedCheapMicros: escalated ? (check.cheap?.costMicros ?? 0) : 0 };
}
