import { Worker } from 'node:worker_threads';
import { keepOutcome } from './semantic-index.js';
import type { Outcome, SemanticMatch, SemanticMatcher } from './semantic-matcher.js';
import type { IndexBatch, IndexOp, IndexWorkerData, WorkerMessage } from './semantic-worker-protocol.js';

const BOOT_FILE = new URL('./semantic-index-worker-boot.mjs', import.meta.url);

export interface WorkerMatcherOptions {
  /** A lookup the running worker has not answered by then is a miss (a paid call, never a wrong answer). */
  deadlineMs?: number;
  /** Lookups wait for a starting worker (it loads the verifier, ~0.5 s); one that has not loaded by then has failed. */
  bootTimeoutMs?: number;
  /** After the worker fails, lookups miss for this long before a new one is started. */
  restartDelayMs?: number;
  weightsFile?: string;
  /** Told when the worker fails or a lookup misses its deadline; the runtime logs it. */
  onFault?: (fault: { kind: 'exit' | 'error' | 'boot' | 'deadline'; message: string }) => void;
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
  const deadlineMs = options.deadlineMs ?? 2_000;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const entries = new Map<string, Mirrored>();
  const bootTimeoutMs = options.bootTimeoutMs ?? 30_000;
  const pending = new Map<number, { resolve: (matches: SemanticMatch[]) => void; timer: NodeJS.Timeout | null }>();
  let worker: Worker | null = null;
  let ready = false;
  let bootTimer: NodeJS.Timeout | null = null;
  let queue: IndexOp[] = [];
  let flushScheduled = false;
  let nextId = 0;
  let downUntil = 0;
  let closed = false;

  const settle = (id: number, matches: SemanticMatch[]) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (waiting.timer) clearTimeout(waiting.timer);
    waiting.resolve(matches);
  };

  /** From when the worker answers, each lookup has its deadline; while it loads, they wait. */
  const startDeadline = (id: number) => {
    const waiting = pending.get(id);
    if (!waiting || waiting.timer) return;
    waiting.timer = setTimeout(() => {
      if (!pending.has(id)) return;
      settle(id, []);
      options.onFault?.({ kind: 'deadline', message: `semantic lookup unanswered after ${deadlineMs} ms` });
    }, deadlineMs);
    waiting.timer.unref();
  };

  const fail = (failed: Worker, kind: 'exit' | 'error' | 'boot', message: string) => {
    if (worker !== failed) return;
    worker = null;
    ready = false;
    if (bootTimer) clearTimeout(bootTimer);
    if (kind === 'boot') void failed.terminate();
    queue = [];
    downUntil = Date.now() + restartDelayMs;
    for (const id of [...pending.keys()]) settle(id, []);
    if (!closed) options.onFault?.({ kind, message });
  };

  /**
   * Starts a worker when none runs (unless a failed one is waiting out its delay) and queues every
   * mirrored entry for it. Returns whether one runs and whether it was started just now, its
   * queue already holding the mirror's state.
   */
  const start = (): { fresh: boolean } | null => {
    if (closed) return null;
    if (worker) return { fresh: false };
    if (Date.now() < downUntil) return null;
    const data: IndexWorkerData = options.weightsFile ? { weightsFile: options.weightsFile } : {};
    const started = new Worker(BOOT_FILE, { workerData: data });
    started.unref();
    started.on('message', (message: WorkerMessage) => {
      if ('ready' in message) {
        ready = true;
        if (bootTimer) clearTimeout(bootTimer);
        for (const id of pending.keys()) startDeadline(id);
        return;
      }
      for (const reply of message.replies) settle(reply.id, reply.matches);
    });
    started.on('error', (error) => fail(started, 'error', error.message));
    started.on('exit', (code) => fail(started, 'exit', `semantic index worker exited with code ${code}`));
    worker = started;
    ready = false;
    bootTimer = setTimeout(() => fail(started, 'boot', `semantic index worker did not load in ${bootTimeoutMs} ms`), bootTimeoutMs);
    bootTimer.unref();
    queue = [];
    for (const [key, entry] of entries) {
      queue.push({ op: 'add', key, partition: entry.partition, text: entry.text });
      if (entry.outcomes.length > 0) queue.push({ op: 'restore', key, outcomes: [...entry.outcomes] });
    }
    schedule();
    return { fresh: true };
  };

  const schedule = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    queueMicrotask(flush);
  };

  const flush = () => {
    flushScheduled = false;
    if (!worker || queue.length === 0) return;
    const batch: IndexBatch = { ops: queue };
    queue = [];
    worker.postMessage(batch);
  };

  /**
   * Queues a change for the worker. Only an add starts one; a worker started by it already has
   * the mirror, this change included. Without a worker, the mirror alone changes.
   */
  const change = (op: IndexOp) => {
    if (!worker) {
      if (op.op === 'add') start();
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
        start();
        return [];
      }
      const id = ++nextId;
      return new Promise<SemanticMatch[]>((resolve) => {
        pending.set(id, { resolve, timer: null });
        if (!start()) return settle(id, []);
        if (ready) startDeadline(id);
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

    async close() {
      closed = true;
      const stopping = worker;
      worker = null;
      if (bootTimer) clearTimeout(bootTimer);
      for (const id of [...pending.keys()]) settle(id, []);
      await stopping?.terminate();
    },
  };
}
