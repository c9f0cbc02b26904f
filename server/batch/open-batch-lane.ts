import path from 'node:path';
import type { PricingTable } from '../../shared/pricing.js';
import type { AppConfig } from '../config.js';
import { readLedger } from '../ledger/read-ledger.js';
import type { Logger } from '../log.js';
import type { ProvidersConfig } from '../providers/providers-config.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { RuntimeState } from '../runtime/runtime-state.js';
import { batchClientsFor } from './batch-clients.js';
import type { JobState } from './batch-job.js';
import { BatchJournal } from './batch-journal.js';
import { BatchLane } from './batch-lane.js';
import { batchRecord } from './batch-record.js';
import { notifyWebhook } from './job-webhook.js';

export interface BatchLaneParts {
  config: AppConfig;
  log: Logger;
  providers: ProvidersConfig;
  state: RuntimeState;
  pricing: PricingTable;
  env: Record<string, string | undefined>;
  /** Books a finished job in the ledger, spend and metrics, as the chat path books its answers. */
  book: (record: LedgerRecord, then: () => void) => void;
  /** Told of each job once it is completed or failed (BatchLaneOptions.settled). */
  settled?: (state: JobState) => void;
}

/** The batch lane over dataDir/batch/journal.jsonl, replayed now: its answers go to the ledger, then to the job's webhook. */
export function openBatchLane({ config, log, providers, state, pricing, env, book, settled }: BatchLaneParts): BatchLane {
  const { journal, entries, skipped } = BatchJournal.open(path.join(config.dataDir, 'batch'), { now: Date.now(), keepMs: config.batchKeepDays * 86_400_000 });
  if (skipped > 0) log.warn({ skipped }, 'batch journal lines skipped on replay');
  return new BatchLane({
    journal,
    replay: entries,
    clients: batchClientsFor(providers),
    maxSize: config.batchMaxSize,
    maxWaitMs: config.batchMaxWaitMs,
    pollMs: config.batchPollMs,
    log,
    settled,
    redact: state.providers.redact,
    // On this instance's book only: with shared budgets (Redis) a replayed job is not held in the shared store again.
    rehold: ({ keys, micros }) => state.book.reservations.reserve(keys, micros),
    alreadyBooked: async (ids, since) => {
      const wanted = new Set(ids);
      const found = new Map<string, number>();
      for await (const record of readLedger(state.ledger.dir, { from: since, onSkip: () => {} })) if (wanted.has(record.id)) found.set(record.id, record.costUsd);
      return found;
    },
    finish: (job, answer, then) => {
      const record = batchRecord({ state: job, answer, pricing, now: new Date() });
      book(record, () => {
        then(record.costUsd);
        void notifyWebhook({ state: job, env, log });
      });
    },
  });
}
