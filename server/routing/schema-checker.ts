import { supervisedWorker, type WorkerFault } from '../workers/supervised-worker.js';
import type { SchemaCheckRequest } from './schema-check-protocol.js';

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
  onFault?: (fault: WorkerFault) => void;
}

/**
 * Schema checks on a worker thread, started on first use. Unchecked (undefined) is always a safe
 * answer: the format check then keeps to the top level (JSON, object, required keys), so a slow,
 * failed or flooded worker costs a schema check, never a request.
 */
export function workerSchemaChecker(options: SchemaCheckerOptions = {}): SchemaChecker {
  const worker = supervisedWorker<string | null | undefined>({
    module: new URL('./schema-check-worker.ts', import.meta.url),
    name: 'schema check worker',
    requestName: 'schema check',
    unanswered: undefined,
    deadlineMs: options.deadlineMs ?? 1_000,
    // A check past its deadline is a compile that may run for seconds more: the worker is stuck on it.
    onDeadline: 'replace',
    bootTimeoutMs: options.bootTimeoutMs ?? 30_000,
    restartDelayMs: options.restartDelayMs ?? 1_000,
    maxPending: options.maxPending ?? 64,
    ...(options.onFault ? { onFault: options.onFault } : {}),
  });
  return {
    warm: () => void worker.start(),
    check: (schema, value) => worker.request((id) => worker.post({ id, schema, value } satisfies SchemaCheckRequest)),
    close: () => worker.close(),
  };
}
