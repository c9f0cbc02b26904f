import type { LedgerRecord } from '../ledger/ledger-record.js';
import type { Exchange, Outcome } from './exchange.js';

/**
 * Books a ledger record (ledger, spend, metrics); `then` sends the answer once the record is
 * written. The exchange rides along for traffic capture, which stores the request beside its record.
 */
export type Book = (record: LedgerRecord, then: () => void, exchange: Exchange) => void;

/**
 * Books one request and releases its budget reservation, then calls `send`: the answer goes
 * out only once its record is in the ledger, so an acknowledged request survives a crash.
 */
export function bookExchange(book: Book, { exchange, outcome }: { exchange: Exchange; outcome: Outcome }, send: () => void): void {
  const { facts, plan, policy, rule } = exchange;
  const usage = outcome.usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  book(
    {
      id: exchange.id,
      time: new Date().toISOString(),
      policy: policy.id,
      policyVersion: policy.ruleFile.policy.version,
      rule: rule.name,
      requestedModel: exchange.request.model,
      servedModel: outcome.served?.model ?? null,
      provider: outcome.served?.provider ?? null,
      tags: plan.tags,
      serviceKey: facts.serviceKey,
      user: facts.user,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cachedInputTokens: usage.cachedInputTokens,
      cacheWriteTokens: usage.cacheWriteTokens ?? 0,
      costUsd: outcome.cost?.costUsd ?? 0,
      costMicros: outcome.cost?.costMicros ?? 0,
      savedUsd: outcome.cost?.savedUsd ?? 0,
      promptCacheSavedUsd: outcome.cost?.promptCacheSavedUsd ?? 0,
      cache: outcome.cache,
      latencyMs: Math.round((performance.now() - exchange.started) * 100) / 100,
      status: outcome.status,
      stream: facts.stream,
      attempts: outcome.attempts,
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(exchange.router ? { router: exchange.router } : {}),
      ...(exchange.answerCheck ? { answerCheck: exchange.answerCheck } : {}),
    },
    send,
    exchange,
  );
  // In the same tick as the spend was booked, so the money is never counted twice or not at all.
  exchange.reservation?.release();
}
