import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from '../workers/supervised-worker.js';
import type { SchemaCheckRequest } from './schema-check-protocol.js';
import { schemaViolation } from './schema-validation.js';

/**
 * Schema checks on their own thread: Ajv compiles a schema it has not seen into code, which costs
 * about 8 ms for a 1.4 KB schema and 150 ms for a 21 KB one (bench/schema-check-latency.ts), and a caller may send a fresh one with
 * every request. The compiled validators stay here, in schemaViolation's cache.
 */
parentPort!.on('message', ({ id, schema, value }: SchemaCheckRequest) => {
  parentPort!.postMessage({ replies: [{ id, answer: schemaViolation(schema, value) }] } satisfies WorkerReply<string | null | undefined>);
});
// Ajv's first compile pays for warming its code generator (~10 ms); paid here, before the first deadline runs.
schemaViolation({ type: 'object', properties: { warm: { type: 'string', pattern: '^w' } }, required: ['warm'] }, { warm: 'w' });
parentPort!.postMessage({ ready: true } satisfies WorkerReply<string | null | undefined>);
