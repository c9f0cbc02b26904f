import { supervisedWorker, type WorkerTuning } from '../workers/supervised-worker.js';
import type { TokenCountRequest } from './token-count-protocol.js';
import { rememberLargeCount, uncountedLargeTexts } from './tokens.js';

/**
 * Counts a request's large texts before its facts are read. Null when there is nothing to count
 * (every request under 64 KB a text), so the hot path awaits nothing.
 */
export interface TokenCounter {
  precount(texts: readonly string[]): Promise<void> | null;
  close(): Promise<void>;
}

/** An unanswered count (failed, slow or flooded worker) is made on the event loop, where it is needed. */
export type TokenCounterOptions = WorkerTuning;

/**
 * Large texts counted on a worker thread, started on first use, their counts kept where every
 * later count finds them (tokens.ts). Whatever the worker does not count (failed, slow, flooded)
 * is counted where it is needed, on the event loop: the count is the same, only slower to get.
 */
export function workerTokenCounter(options: TokenCounterOptions = {}): TokenCounter {
  const worker = supervisedWorker<number[] | null>({
    module: new URL('./token-count-worker.ts', import.meta.url),
    name: 'token count worker',
    requestName: 'token count',
    unanswered: null,
    // 4 MB of random printable characters counts in 11–14 s; a count waiting behind others is not stuck.
    deadlineMs: options.deadlineMs ?? 60_000,
    onDeadline: 'keep',
    bootTimeoutMs: options.bootTimeoutMs ?? 30_000,
    restartDelayMs: options.restartDelayMs ?? 1_000,
    maxPending: options.maxPending ?? 256,
    ...(options.onFault ? { onFault: options.onFault } : {}),
  });
  return {
    precount(texts) {
      const large = uncountedLargeTexts(texts);
      if (large.length === 0) return null;
      return worker.request((id) => worker.post({ id, texts: large } satisfies TokenCountRequest)).then((counts) => {
        if (counts) large.forEach((text, i) => rememberLargeCount(text, counts[i]!));
      });
    },
    close: () => worker.close(),
  };
}
