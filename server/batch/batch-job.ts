import { z } from 'zod';

export const BATCH_PROVIDERS = ['openai', 'anthropic'] as const;
export const BatchProviderSchema = z.enum(BATCH_PROVIDERS);
export type BatchProvider = z.infer<typeof BatchProviderSchema>;

const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  cacheWriteTokens: z.number().optional(),
});

/** A request accepted into the batch lane: everything needed to send it and book its answer after a restart. */
export const BatchJobSchema = z.object({
  /** Also the batch line's custom_id and the ledger record's id. */
  id: z.string(),
  provider: BatchProviderSchema,
  model: z.string(),
  /** The provider's own request body (chat completion or Messages API), built at acceptance so a bad request is refused then. */
  body: z.record(z.string(), z.unknown()),
  requestedModel: z.string(),
  policy: z.string(),
  policyVersion: z.number(),
  rule: z.string(),
  tags: z.record(z.string(), z.string()),
  serviceKey: z.string(),
  user: z.string(),
  /** ISO 8601. */
  acceptedAt: z.string(),
  /** The name of the variable holding the webhook URL; '' for none. */
  webhookUrlEnv: z.string(),
  /**
   * The estimate held against budgets (scope keys as scopeKey makes them, integer micro-dollars)
   * until the answer is booked: re-held at start for a replayed job, which is still owed.
   */
  hold: z.object({ keys: z.array(z.string()), micros: z.number().int().nonnegative() }).optional(),
  /** A background Responses call kept as a response: that record, not the job, is what is read back (and deleted). */
  kept: z.literal(true).optional(),
});
export type BatchJob = z.infer<typeof BatchJobSchema>;

/** One answer out of a finished batch, already in OpenAI's chat.completion shape. */
export const BatchAnswerSchema = z.union([
  z.object({ ok: z.literal(true), body: z.record(z.string(), z.unknown()), usage: UsageSchema.nullable() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type BatchAnswer = z.infer<typeof BatchAnswerSchema>;

/** A line of the lane's journal (dataDir/batch/journal.jsonl); replaying them in order rebuilds every job's state. */
export const JournalEntrySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('accepted'), job: BatchJobSchema }),
  z.object({ type: z.literal('submitted'), batchId: z.string(), provider: BatchProviderSchema, ids: z.array(z.string()) }),
  z.object({ type: z.literal('finished'), id: z.string(), answer: BatchAnswerSchema, costUsd: z.number() }),
]);
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

export type JobStatus = 'queued' | 'submitted' | 'completed' | 'failed';

export interface JobState {
  job: BatchJob;
  status: JobStatus;
  batchId: string | null;
  answer: BatchAnswer | null;
  costUsd: number;
}

/** Folds journal entries into job states. Pure: the lane replays its file through it at start. */
export function replayJournal(entries: Iterable<JournalEntry>): Map<string, JobState> {
  const jobs = new Map<string, JobState>();
  for (const entry of entries) {
    if (entry.type === 'accepted') {
      jobs.set(entry.job.id, { job: entry.job, status: 'queued', batchId: null, answer: null, costUsd: 0 });
    } else if (entry.type === 'submitted') {
      for (const id of entry.ids) {
        const state = jobs.get(id);
        if (state && state.status === 'queued') Object.assign(state, { status: 'submitted', batchId: entry.batchId });
      }
    } else {
      const state = jobs.get(entry.id);
      if (state) Object.assign(state, { status: entry.answer.ok ? 'completed' : 'failed', answer: entry.answer, costUsd: entry.costUsd });
    }
  }
  return jobs;
}

/**
 * The entries worth keeping: every unfinished job's, and finished jobs accepted within `keepMs`
 * (they stay pollable that long). Replaying the result gives the same states for those jobs.
 */
export function compactJournal(entries: Iterable<JournalEntry>, { now, keepMs }: { now: number; keepMs: number }): JournalEntry[] {
  const kept = [...replayJournal(entries).values()].filter((s) => !s.answer || now - Date.parse(s.job.acceptedAt) <= keepMs);
  const batches = new Map<string, { provider: BatchProvider; ids: string[] }>();
  for (const s of kept) {
    if (!s.batchId) continue;
    const batch = batches.get(s.batchId) ?? { provider: s.job.provider, ids: [] };
    batch.ids.push(s.job.id);
    batches.set(s.batchId, batch);
  }
  return [
    ...kept.map((s): JournalEntry => ({ type: 'accepted', job: s.job })),
    ...[...batches].map(([batchId, { provider, ids }]): JournalEntry => ({ type: 'submitted', batchId, provider, ids })),
    ...kept.flatMap((s): JournalEntry[] => (s.answer ? [{ type: 'finished', id: s.job.id, answer: s.answer, costUsd: s.costUsd }] : [])),
  ];
}
