import { Agent, request } from 'node:http';
import { percentile } from './percentiles.js';

/**
 * Load generator for latency at one connection, run as its own process: sends the same POST
 * one after another over one keep-alive connection for a fixed time and prints p50/p99 in
 * microseconds as JSON. autocannon records latency in whole milliseconds, too coarse for
 * sub-millisecond added latency, hence this client.
 *
 * argv: url, durationMs, warmupMs, headers (JSON), body
 */
export interface LatencySummary {
  p50Us: number;
  p99Us: number;
  requests: number;
  failures: number;
}

const [url, durationArg, warmupArg, headersArg, body] = process.argv.slice(2);
if (!url || !durationArg || !warmupArg || !headersArg || body === undefined) {
  throw new Error('usage: latency-client <url> <durationMs> <warmupMs> <headers-json> <body>');
}
const target = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const headers = { ...(JSON.parse(headersArg) as Record<string, string>), 'content-length': String(Buffer.byteLength(body)) };

function once(): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(body);
  });
}

async function runFor(ms: number, record: boolean): Promise<{ samples: number[]; failures: number }> {
  const samples: number[] = [];
  let failures = 0;
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const start = process.hrtime.bigint();
    const status = await once();
    const us = Number(process.hrtime.bigint() - start) / 1000;
    if (status !== 200) failures++;
    else if (record) samples.push(us);
  }
  return { samples, failures };
}

await runFor(Number(warmupArg), false);
const { samples, failures } = await runFor(Number(durationArg), true);
agent.destroy();
const summary: LatencySummary = { p50Us: percentile(samples, 50), p99Us: percentile(samples, 99), requests: samples.length + failures, failures };
process.stdout.write(`${JSON.stringify(summary)}\n`);
