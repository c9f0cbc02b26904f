import { supervisedWorker, type WorkerTuning } from '../workers/supervised-worker.js';
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

/** An unanswered check (failed, slow or flooded worker) is unchecked; a check past its deadline replaces the worker, stuck on a compile. */
export type SchemaCheckerOptions = WorkerTuning;

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
