import { microsToUsd, usdToMicros } from '../../shared/cost.js';
import { costMicrosOf, type LedgerRecord } from './ledger-record.js';
import { answerCheckCounts } from './answer-check-counts.js';

/** Record fields a summary can group by; any other name groups by that tag (`team`, `feature`...). */
const FIELD_GROUPS = {
  model: (r: LedgerRecord) => r.servedModel ?? r.requestedModel,
  requestedModel: (r: LedgerRecord) => r.requestedModel,
  day: (r: LedgerRecord) => r.time.slice(0, 10),
  policy: (r: LedgerRecord) => r.policy,
  provider: (r: LedgerRecord) => r.provider ?? '',
  serviceKey: (r: LedgerRecord) => r.serviceKey,
  user: (r: LedgerRecord) => r.user,
  cache: (r: LedgerRecord) => r.cache,
  rule: (r: LedgerRecord) => r.rule ?? '',
} as const;

/** Feedback a summary can join to its records: the latest score per request id. */
export type Scores = ReadonlyMap<string, { score: number }>;

/** Groups by something a record does not hold itself (the output a branch node sent it through). */
export type KeyOf = (r: LedgerRecord) => string;

export type GroupBy = keyof typeof FIELD_GROUPS | (string & {});

export interface UsageGroup {
  /** The group's value; '' for records without it (an untagged request, a refusal with no model). */
  key: string;
  requests: number;
  costUsd: number;
  savedUsd: number;
  /** Savings from the providers' prompt caches, apart from savedUsd (routing and response cache). */
  promptCacheSavedUsd: number;
  /** Savings from the providers' batch discounts (the batch lane), apart from savedUsd and promptCacheSavedUsd. */
  batchSavedUsd: number;
  /** Requests answered through the batch lane. */
  batchRequests: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  cacheHits: number;
  /** Answers with a status of 400 or more. */
  errors: number;
  /** Requests that got feedback, and their mean score (null without any): quality per route, rule or split branch. */
  feedback: number;
  quality: number | null;
  /**
   * The learned router's answer check: cheap answers it read, those asked again of the strong
   * model (answered by it), and what those discarded cheap calls cost (already in costUsd).
   */
  answersChecked: number;
  answersEscalated: number;
  escalatedCheapCostUsd: number;
}

function keyOf(groupBy: GroupBy): (r: LedgerRecord) => string {
  if (Object.hasOwn(FIELD_GROUPS, groupBy)) return FIELD_GROUPS[groupBy as keyof typeof FIELD_GROUPS];
  const tag = groupBy.startsWith('tag:') ? groupBy.slice(4) : groupBy;
  return (r) => r.tags[tag] ?? '';
}

/** Money is summed in integer micro-dollars (float sums drift) and reported in USD. */
interface GroupTotals extends UsageGroup {
  escalatedCheapMicros: number;
  costMicros: number;
  savedMicros: number;
  promptCacheSavedMicros: number;
  batchSavedMicros: number;
}

/** Spend, savings, tokens and requests per group, accumulated one record at a time (for a streamed ledger). */
export class UsageSummary {
  private readonly groups = new Map<string, GroupTotals>();
  private readonly key: KeyOf;
  private readonly scoreSums = new Map<string, number>();

  constructor(
    readonly groupBy: GroupBy,
    private readonly scores: Scores = new Map(),
    key?: KeyOf,
  ) {
    this.key = key ?? keyOf(groupBy);
  }

  add(record: LedgerRecord): void {
    const key = this.key(record);
    let group = this.groups.get(key);
    if (!group) {
      group = { key, requests: 0, costUsd: 0, savedUsd: 0, promptCacheSavedUsd: 0, batchSavedUsd: 0, batchRequests: 0, costMicros: 0, savedMicros: 0, promptCacheSavedMicros: 0, batchSavedMicros: 0, inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, cacheHits: 0, errors: 0, feedback: 0, quality: null, answersChecked: 0, answersEscalated: 0, escalatedCheapCostUsd: 0, escalatedCheapMicros: 0 };
      this.groups.set(key, group);
    }
    group.requests++;
    group.costMicros += costMicrosOf(record);
    group.savedMicros += usdToMicros(record.savedUsd);
    group.promptCacheSavedMicros += usdToMicros(record.promptCacheSavedUsd);
    if (record.batchSavedUsd !== undefined) {
      group.batchRequests++;
      group.batchSavedMicros += usdToMicros(record.batchSavedUsd);
    }
    group.inputTokens += record.inputTokens;
    group.outputTokens += record.outputTokens;
    group.cachedInputTokens += record.cachedInputTokens;
    group.cacheWriteTokens += record.cacheWriteTokens;
    if (record.cache === 'hit') group.cacheHits++;
    if (record.status >= 400) group.errors++;
    const checked = answerCheckCounts(record);
    group.answersChecked += checked.checked;
    group.answersEscalated += checked.escalated;
    group.escalatedCheapMicros += checked.escalatedCheapMicros;
    const scored = this.scores.get(record.id);
    if (scored) {
      group.feedback++;
      this.scoreSums.set(key, (this.scoreSums.get(key) ?? 0) + scored.score);
    }
  }

  /** Days in date order; other groups by spend, highest first. */
  result(): UsageGroup[] {
    const rows = [...this.groups.values()].map(({ costMicros, savedMicros, promptCacheSavedMicros, batchSavedMicros, escalatedCheapMicros, ...g }): UsageGroup => ({
      ...g,
      escalatedCheapCostUsd: microsToUsd(escalatedCheapMicros),
      costUsd: microsToUsd(costMicros),
      savedUsd: microsToUsd(savedMicros),
      promptCacheSavedUsd: microsToUsd(promptCacheSavedMicros),
      batchSavedUsd: microsToUsd(batchSavedMicros),
      quality: g.feedback > 0 ? Math.round((this.scoreSums.get(g.key)! / g.feedback) * 10_000) / 10_000 : null,
    }));
    if (this.groupBy === 'day') return rows.sort((a, b) => compare(a.key, b.key));
    return rows.sort((a, b) => b.costUsd - a.costUsd || compare(a.key, b.key));
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function summarize(records: Iterable<LedgerRecord>, groupBy: GroupBy, scores?: Scores): UsageGroup[] {
  const summary = new UsageSummary(groupBy, scores);
  for (const record of records) summary.add(record);
  return summary.result();
}
