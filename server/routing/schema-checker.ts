import { Worker } from 'node:worker_threads';
import type { SchemaCheckMessage, SchemaCheckRequest } from './schema-check-protocol.js';

const BOOT_FILE = new URL('./schema-check-worker-boot.mjs', import.meta.url);

/**
 * Where a JSON value breaks a JSON Schema (`"/x: must be number"`), null when it keeps it, or
 * undefined when the schema cannot be checked (see schemaViolation). The format check takes one,
 * so it stays pure: tests pass schemaViolation itself, the runtime a worker thread.
 */
export type SchemaCheck = (schema: unknown, value: unknown) => string | null | undefined | Promise<string | null | undefined>;

export interface SchemaChecker {
  check(schema: unknown, value: unknown): Promise<string | null | undefined>;
  /** Starts the worker if none runs, so it loads while the cheap model answers, not after. */
  warm(): void;
  close(): Promise<void>;
}

export interface SchemaCheckerOptions {
  /** A check the running worker has not answered by then is unchecked, and the worker, stuck on a compile, is replaced. */
  deadlineMs?: number;
  /** Checks wait for a starting worker (it loads Ajv, ~0.3 s); one that has not loaded by then has failed. */
  bootTimeoutMs?: number;
  /** After the worker fails, checks answer unchecked for this long before a new one is started. */
  restartDelayMs?: number;
  /** Checks waiting past this many are unchecked at once: a flood of fresh schemas queues no further. */
  maxPending?: number;
  /** Told when the worker fails, misses a deadline or sheds a check; the runtime logs it. */
  onFault?: (fault: { kind: 'exit' | 'error' | 'boot' | 'deadline' | 'busy'; message: string }) => void;
}

/**
 * Schema checks on a worker thread, started on first use. Unchecked (undefined) is always a safe
 * answer: the format check then keeps to the top level (JSON, object, required keys), so a slow,
 * failed or flooded worker costs a schema check, never a request.
 */
export function workerSchemaChecker(options: SchemaCheckerOptions = {}): SchemaChecker {
  const deadlineMs = options.deadlineMs ?? 1_000;
  const bootTimeoutMs = options.bootTimeoutMs ?? 30_000;
  const restartDelayMs = options.restartDelayMs ?? 1_000;
  const maxPending = options.maxPending ?? 64;
  const pending = new Map<number, { resolve: (violation: string | null | undefined) => void; timer: NodeJS.Timeout | null }>();
  let worker: Worker | null = null;
  let ready = false;
  let bootTimer: NodeJS.Timeout | null = null;
  let nextId = 0;
  let downUntil = 0;
  let closed = false;

  const settle = (id: number, violation: string | null | undefined) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (waiting.timer) clearTimeout(waiting.timer);
    waiting.resolve(violation);
  };

  const fail = (failed: Worker, kind: 'exit' | 'error' | 'boot' | 'deadline', message: string) => {
    if (worker !== failed) return;
    worker = null;
    ready = false;
    if (bootTimer) clearTimeout(bootTimer);
    if (kind !== 'exit') void failed.terminate();
    downUntil = Date.now() + restartDelayMs;
    for (const id of [...pending.keys()]) settle(id, undefined);
    if (!closed) options.onFault?.({ kind, message });
  };

  /** From when the worker answers, each check has its deadline; while it loads, they wait. */
  const startDeadline = (id: number) => {
    const waiting = pending.get(id);
    const running = worker;
    if (!waiting || waiting.timer || !running) return;
    waiting.timer = setTimeout(() => {
      if (pending.has(id)) fail(running, 'deadline', `schema check unanswered after ${deadlineMs} ms`);
    }, deadlineMs);
    waiting.timer.unref();
  };

  const start = (): Worker | null => {
    if (closed) return null;
    if (worker) return worker;
    if (Date.now() < downUntil) return null;
    const started = new Worker(BOOT_FILE);
    started.unref();
    started.on('message', (message: SchemaCheckMessage) => {
      if ('ready' in message) {
        ready = true;
        if (bootTimer) clearTimeout(bootTimer);
        for (const id of pending.keys()) startDeadline(id);
        return;
      }
      settle(message.id, message.checkable ? message.violation : undefined);
    });
    started.on('error', (error) => fail(started, 'error', error.message));
    started.on('exit', (code) => fail(started, 'exit', `schema check worker exited with code ${code}`));
    worker = started;
    ready = false;
    bootTimer = setTimeout(() => fail(started, 'boot', `schema check worker did not load in ${bootTimeoutMs} ms`), bootTimeoutMs);
    bootTimer.unref();
    return started;
  };

  return {
    warm: () => void start(),

    check(schema, value) {
      if (pending.size >= maxPending) {
        options.onFault?.({ kind: 'busy', message: `${pending.size} schema checks waiting; this one is skipped` });
        return Promise.resolve(undefined);
      }
      const running = start();
      if (!running) return Promise.resolve(undefined);
      const id = ++nextId;
      return new Promise((resolve) => {
        pending.set(id, { resolve, timer: null });
        if (ready) startDeadline(id);
        try {
          running.postMessage({ id, schema, value } satisfies SchemaCheckRequest);
        } catch {
          // Not structured-cloneable: JSON from a request body always is, so this is not one.
          settle(id, undefined);
        }
      });
    },

    async close() {
      closed = true;
      const stopping = worker;
      worker = null;
      if (bootTimer) clearTimeout(bootTimer);
      for (const id of [...pending.keys()]) settle(id, undefined);
      await stopping?.terminate();
    },
  };
}
