import type { LedgerRecord } from '../../server/ledger/ledger-record.js';

/** A plausible ledger record; tests override only what they look at. */
export function ledgerRecord(overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    id: 'req-1',
    time: '2025-03-10T12:00:00.000Z',
    policy: 'cost-router',
    policyVersion: 1,
    rule: 'rule-1',
    requestedModel: 'gpt-4o',
    servedModel: 'gpt-4o-mini',
    provider: 'openai',
    tags: { team: 'search' },
    serviceKey: 'svc-search',
    user: 'u-1',
    inputTokens: 100,
    outputTokens: 50,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0.01,
    savedUsd: 0,
    promptCacheSavedUsd: 0,
    cache: 'miss',
    latencyMs: 1.5,
    status: 200,
    stream: false,
    attempts: 1,
    ...overrides,
  };
}
