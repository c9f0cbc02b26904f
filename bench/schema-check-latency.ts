import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { workerSchemaChecker } from '../server/routing/schema-checker.js';
import { schemaViolation } from '../server/routing/schema-validation.js';
import { percentile } from './percentiles.js';

/**
 * What checking a cheap answer against a schema the gateway has not seen costs the event loop
 * (npx tsx bench/schema-check-latency.ts [--thread worker|inline] [--properties 150] [--checks 40]):
 * each check sends a fresh `response_format` schema of that many nested properties, as a service
 * generating schemas per request would, so every check compiles. Prints the wall time of a check
 * and the event-loop time it holds (eventLoopUtilization), which every other request waits behind.
 */
const { values } = parseArgs({
  options: {
    thread: { type: 'string', default: 'worker' },
    properties: { type: 'string', default: '150' },
    checks: { type: 'string', default: '40' },
  },
});
const thread = values.thread === 'inline' ? 'inline' : 'worker';
const properties = Number(values.properties);
const checks = Number(values.checks);

function schema(seed: number): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (let i = 0; i < properties; i++) props[`f${seed}_${i}`] = { type: 'object', properties: { a: { type: 'string' }, b: { type: 'array', items: { type: 'number', minimum: i } } }, required: ['a'] };
  return { type: 'object', properties: props };
}

const worker = thread === 'worker' ? workerSchemaChecker({ deadlineMs: 60_000 }) : null;
const check = worker ? worker.check : async (s: unknown, v: unknown) => schemaViolation(s, v);
// Warm-up: the worker loads, both engines compile once.
await check(schema(-1), {});

const times: number[] = [];
let violations = 0;
const loop = performance.eventLoopUtilization();
for (let i = 0; i < checks; i++) {
  const t = performance.now();
  if ((await check(schema(i), { [`f${i}_0`]: { b: [] } })) !== null) violations++;
  times.push(performance.now() - t);
}
const busy = performance.eventLoopUtilization(loop);
await worker?.close();
const ms = (x: number) => Number(x.toFixed(2));
console.log(
  JSON.stringify({
    thread,
    schemaChars: JSON.stringify(schema(0)).length,
    checks,
    violations,
    p50Ms: ms(percentile(times, 50)),
    p99Ms: ms(percentile(times, 99)),
    eventLoopMsPerCheck: ms(busy.active / checks),
  }),
);
