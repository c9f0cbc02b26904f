import type { PricingTable } from '../../shared/pricing.js';
import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { Usage } from '../providers/provider.js';
import { batchCostOf } from './batch-cost.js';
import type { BatchAnswer, JobState } from './batch-job.js';

const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

/** The ledger record of a finished batch job: booked at the batch price, with the batch saving as its own category. */
export function batchRecord({ state, answer, pricing, now }: { state: JobState; answer: BatchAnswer; pricing: PricingTable; now: Date }): LedgerRecord {
  const { job } = state;
  const usage = answer.ok ? (answer.usage ?? NO_USAGE) : NO_USAGE;
  const cost = answer.ok ? batchCostOf({ usage, servedModel: job.model, requestedModel: job.requestedModel, pricing }) : null;
  return {
    id: job.id,
    time: now.toISOString(),
    policy: job.policy,
    policyVersion: job.policyVersion,
    rule: job.rule,
    requestedModel: job.requestedModel,
    servedModel: job.model,
    provider: job.provider,
    tags: job.tags,
    serviceKey: job.serviceKey,
    user: job.user,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens ?? 0,
    costUsd: cost?.costUsd ?? 0,
    costMicros: cost?.costMicros ?? 0,
    savedUsd: cost?.savedUsd ?? 0,
    promptCacheSavedUsd: cost?.promptCacheSavedUsd ?? 0,
    batchSavedUsd: cost?.batchSavedUsd ?? 0,
    ...(state.batchId ? { batchId: state.batchId } : {}),
    cache: 'bypass',
    // From acceptance to the answer: what the caller waited, not what the provider took.
    latencyMs: Math.max(0, now.getTime() - Date.parse(job.acceptedAt)),
    status: answer.ok ? 200 : 502,
    stream: false,
    attempts: 1,
    ...(answer.ok ? {} : { error: answer.error }),
  };
}
