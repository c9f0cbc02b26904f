import { supervisedWorker, type WorkerFault } from '../workers/supervised-worker.js';
import { keepOutcome } from './semantic-index.js';
import type { Outcome, SemanticMatch, SemanticMatcher } from './semantic-matcher.js';
import type { IndexBatch, IndexOp, IndexWorkerData } from './semantic-worker-protocol.js';

export interface WorkerMatcherOptions {
  /** A lookup the running worker has not answered by then is a miss (a paid call, never a wrong answer). */
  deadlineMs?: number;
  /** Lookups wait for a starting worker (it loads the verifier, ~0.5 s); one that has not loaded by then has failed. */
  bootTimeoutMs?: number;
  /** After the worker fails, lookups miss for this long before a new one is started. */
  restartDelayMs?: number;
  weightsFile?: string;
  /**
   * Lookups waiting past this many miss at once (a paid call) rather than queue: at about 0.5 ms
   * a lookup, the 256th waits over 100 ms behind the others, and a flood would make every one of
   * them wait out the deadline before missing anyway.
   */
  maxPending?: number;
  /** Told when the worker fails, a lookup misses its deadline or lookups are shed; the runtime logs it. */
  onFault?: (fault: WorkerFault) => void;
}

interface Mirrored {
  partition: string;
  text: string;
  outcomes: Outcome[];
}

/**
 * The semantic index on a worker thread. This side keeps each entry's question and outcomes (a
 * few hundred bytes an entry), so membership and outcome answers are immediate, and a worker that
 * dies is replaced and refilled from them: a crash costs misses while it restarts, not entries.
 * Changes and lookups go in one ordered stream, batched per tick, so a lookup sees every change
 * made before it.
 */
export function workerMatcher(options: WorkerMatcherOptions = {}): SemanticMatcher {
  const entries = new Map<string, Mirrored>();
  let queue: IndexOp[] = [];
  let flushScheduled = false;
  const data: IndexWorkerData = options.weightsFile ? { weightsFile: options.weightsFile } : {};
  const worker = supervisedWorker<SemanticMatch[]>({
    module: new URL('./semantic-index-worker.ts', import.meta.url),
    data,
    name: 'semantic index worker',
    requestName: 'semantic lookup',
    unanswered: [],
    deadlineMs: options.deadlineMs ?? 2_000,
    // One slow lookup is a long tail at 100,000 entries, not a stuck worker: the others go on.
    onDeadline: 'keep',
    bootTimeoutMs: options.bootTimeoutMs ?? 30_000,
    restartDelayMs: options.restartDelayMs ?? 1_000,
    maxPending: options.maxPending ?? 256,
    // A new worker starts empty: what it must hold comes first in its stream.
    onStart: () => {
      queue = [];
      for (const [key, entry] of entries) {
        queue.push({ op: 'add', key, partition: entry.partition, text: entry.text });
        if (entry.outcomes.length > 0) queue.push({ op: 'restore', key, outcomes: [...entry.outcomes] });
      }
      schedule();
    },
    ...(options.onFault ? { onFault: options.onFault } : {}),
  });

  const schedule = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(flush);
  };

  const flush = () => {
    flushScheduled = false;
    if (queue.length === 0) return;
    const batch: IndexBatch = { ops: queue };
    queue = [];
    worker.post(batch);
  };

  /**
   * Queues a change for the worker. Only an add starts one; a worker started by it already has
   * the mirror, this change included. Without a worker, the mirror alone changes.
   */
  const change = (op: IndexOp) => {
    if (!worker.running()) {
      if (op.op === 'add') worker.start();
      return;
    }
    queue.push(op);
    schedule();
  };
  return {
    get size() {
      return entries.size;
    },

    has: (key) => entries.has(key),

    add(key, partition, text) {
      entries.set(key, { partition, text, outcomes: [] });
      change({ op: 'add', key, partition, text });
    },

    remove(key) {
      if (entries.delete(key)) change({ op: 'remove', key });
    },

    clear() {
      entries.clear();
      change({ op: 'clear' });
    },

    matches(query) {
      // Nothing to find yet, but a semantic policy is live: the worker loads now, not on the first store's heels.
      if (entries.size === 0) {
        worker.start();
        return [];
      }
      return worker.request((id) => {
        queue.push({ op: 'match', id, ...query });
        schedule();
      });
    },

    recordOutcome(key, score, correct) {
      const entry = entries.get(key);
      if (!entry) return false;
      keepOutcome(entry.outcomes, { score, correct });
      change({ op: 'outcome', key, score, correct });
      return true;
    },

    restoreOutcomes(key, outcomes) {
      const entry = entries.get(key);
      if (!entry || entry.outcomes.length > 0) return false;
      for (const o of outcomes) keepOutcome(entry.outcomes, o);
      change({ op: 'restore', key, outcomes: [...entry.outcomes] });
      return true;
    },

    close: () => worker.close(),
  };
}
