import { FeedbackLedger } from '../server/feedback/feedback-ledger.js';
import { readCaptured } from '../server/capture/read-captured.js';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ChatCompletionRequest } from '../shared/api.js';
import { compile } from '../shared/compiler/compile.js';
import type { GraphInput } from '../shared/graph.js';
import { DEFAULT_PRICING } from '../shared/pricing.js';
import type { RuleFile } from '../shared/rule-file.js';
import { runBacktest } from '../server/backtest/run-backtest.js';
import { CaptureStore, type CaptureSource } from '../server/capture/capture-store.js';
import type { CapturedRequest } from '../server/capture/captured-request.js';
import { requestFacts } from '../server/facts/request-facts.js';
import type { LedgerRecord } from '../server/ledger/ledger-record.js';
import { readLedger } from '../server/ledger/read-ledger.js';

/**
 * `npm run bench:backtest [-- --requests N]`: writes N (100,000) synthetic captured requests of
 * one day, with their ledger records and feedback, into a temp folder, times a backtest of a
 * draft with a budget, a rate limit, an exact cache and a switch on complexity, then times what
 * capture costs per request: on the request (offer) and off it (redact, serialise, gzip, append).
 */
const arg = process.argv.indexOf('--requests');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const DAY = '2025-06-02';
const START = Date.parse(`${DAY}T00:00:00.000Z`);
const TEAMS = ['search', 'ads', 'support', 'legal', 'growth'];
const MODELS = ['gpt-4o', 'gpt-4o', 'gpt-4.1-mini', 'gpt-4o-mini'];
const TOPICS = ['the capital of France', 'a binary search in TypeScript', 'the integral of x^2', 'this contract clause', 'our refund policy', 'a haiku about rain'];
const n = (id: string, kind: string, params: Record<string, unknown> = {}) => ({ id, kind: kind as never, params });
const e = (source: string, handle: string, target: string) => ({ id: `${source}.${handle}`, source, sourceHandle: handle, target });

const served: GraphInput = { id: 'bench', name: 'bench', nodes: [n('req', 'request'), n('asked', 'route', { model: '*' })], edges: [e('req', 'next', 'asked')] };
const draft: GraphInput = {
  id: 'bench',
  name: 'bench',
  version: 2,
  nodes: [
    n('req', 'request'),
    n('budget', 'budget', { scope: 'tag:team', limitUsd: 1.5, window: 'day' }),
    n('degrade', 'degrade', { mode: 'model', model: 'gpt-4o-mini' }),
    n('rate', 'rateLimit', { scope: 'tag:team', rpm: 12 }),
    n('stop', 'block', { status: 429, message: 'slow down' }),
    n('cache', 'cache', { mode: 'exact', ttlSeconds: 3600 }),
    n('by', 'switch', { fact: 'complexity', cases: [{ operator: 'equal', value: 'simple' }, { operator: 'equal', value: 'complex' }] }),
    n('mini', 'route', { model: 'gpt-4o-mini' }),
    n('big', 'route', { model: 'gpt-4o' }),
    n('mid', 'route', { model: 'gpt-4.1-mini' }),
  ],
  edges: [
    e('req', 'next', 'budget'),
    e('budget', 'over', 'degrade'),
    e('budget', 'ok', 'rate'),
    e('rate', 'limited', 'stop'),
    e('rate', 'ok', 'cache'),
    e('cache', 'next', 'by'),
    e('by', 'case0', 'mini'),
    e('by', 'case1', 'big'),
    e('by', 'default', 'mid'),
  ],
};

function ruleFile(graph: GraphInput): RuleFile {
  const { ruleFile, diagnostics } = compile(graph);
  if (!ruleFile) throw new Error(`bench graph does not compile: ${diagnostics.map((d) => d.message).join('; ')}`);
  return ruleFile;
}

function request(i: number): ChatCompletionRequest {
  // About a third repeat an earlier question, so the cache has something to find.
  const q = i % 3 === 0 ? i % 500 : i;
  const topic = TOPICS[q % TOPICS.length]!;
  const history = q % 4 === 0 ? [{ role: 'system' as const, content: 'You are a careful assistant for an internal team. Answer briefly.' }] : [];
  return { model: MODELS[q % MODELS.length]!, messages: [...history, { role: 'user', content: `Question ${q}: explain ${topic} with one example and mind the edge cases.` }], max_tokens: 300 };
}

function synthetic(): { ledger: LedgerRecord[]; captured: CapturedRequest[] } {
  const ledger: LedgerRecord[] = [];
  const captured: CapturedRequest[] = [];
  const stepMs = 86_400_000 / N;
  for (let i = 0; i < N; i++) {
    const time = new Date(START + Math.floor(i * stepMs)).toISOString();
    const req = request(i);
    const team = TEAMS[i % TEAMS.length]!;
    const caller = { tags: { team }, serviceKey: `key_${team}`, user: `u${i % 977}`, tier: '' };
    const id = `r${i}`;
    const outputTokens = 40 + (i % 200);
    const price = DEFAULT_PRICING.models[req.model]!;
    const inputTokens = 20 + (i % 30);
    ledger.push({
      id, time, policy: 'bench', policyVersion: 1, rule: 'asked', requestedModel: req.model, servedModel: req.model, provider: 'openai', tags: caller.tags,
      serviceKey: caller.serviceKey, user: caller.user, inputTokens, outputTokens, cachedInputTokens: 0, cacheWriteTokens: 0,
      promptCacheSavedUsd: 0, costUsd: (inputTokens * price.input + outputTokens * price.output) / 1e6, savedUsd: 0, cache: 'miss', latencyMs: 300, status: 200, stream: false, attempts: 1,
    });
    captured.push({ id, time, factsTime: time, policy: 'bench', request: req, caller });
  }
  return { ledger, captured };
}

async function gzLines(file: string, lines: string[], perMember = 500): Promise<void> {
  const members: Buffer[] = [];
  for (let i = 0; i < lines.length; i += perMember) members.push(gzipSync(`${lines.slice(i, i + perMember).join('\n')}\n`));
  await writeFile(file, Buffer.concat(members));
}

async function captureCost(): Promise<{ offerUs: number; backgroundUs: number; bytesPerRequest: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-capture-bench-'));
  // The store's clock sits on the synthetic day, or retention would delete the day's file at once.
  const store = new CaptureStore({ dir, all: true, maxBytes: 1024 ** 3, flushMs: 60_000, now: () => START + 86_400_000 });
  const policy = { id: 'bench', ruleFile: { graph: {} } };
  const count = Math.min(N, 50_000);
  const sources: { source: CaptureSource; record: LedgerRecord }[] = [];
  const { ledger } = synthetic();
  for (let i = 0; i < count; i++) {
    const req = request(i);
    req.messages = [{ role: 'user', content: `My email is user${i}@example.com and my card 4111 1111 1111 1111. ${messageOf(req)}` }];
    const facts = requestFacts(req, { caller: { tags: { team: 'ads' }, serviceKey: 'key_a', user: 'u', tier: '' }, pricing: DEFAULT_PRICING, now: new Date(START) });
    sources.push({ source: { request: req, facts, started: performance.now(), policy }, record: ledger[i]! });
  }
  const t0 = performance.now();
  for (const { source, record } of sources) store.offer(source, record);
  const offerMs = performance.now() - t0;
  const t1 = performance.now();
  await store.flush();
  const backgroundMs = performance.now() - t1;
  const size = (await stat(path.join(dir, 'bench', `capture-${DAY}.jsonl.gz`))).size;
  await rm(dir, { recursive: true, force: true });
  return { offerUs: (offerMs * 1000) / count, backgroundUs: (backgroundMs * 1000) / count, bytesPerRequest: size / count };
}

function messageOf(req: ChatCompletionRequest): string {
  const last = req.messages[req.messages.length - 1]!;
  return typeof last.content === 'string' ? last.content : '';
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(tmpdir(), 'tollgate-backtest-bench-'));
  try {
    const ledgerDir = path.join(root, 'ledger');
    const captureDir = path.join(root, 'capture');
    await mkdir(path.join(captureDir, 'bench'), { recursive: true });
    await mkdir(ledgerDir, { recursive: true });
    const t0 = performance.now();
    const { ledger, captured } = synthetic();
    await writeFile(path.join(ledgerDir, `usage-${DAY}.jsonl`), `${ledger.map((r) => JSON.stringify(r)).join('\n')}\n`);
    await gzLines(path.join(captureDir, 'bench', `capture-${DAY}.jsonl.gz`), captured.map((c) => JSON.stringify(c)));
    const feedback = ledger
      .filter((_, i) => i % 10 === 0)
      .map((r) => JSON.stringify({ requestId: r.id, time: r.time, score: r.servedModel === 'gpt-4o-mini' ? 0.6 : 0.85, policy: 'bench', rule: 'asked', servedModel: r.servedModel, cache: 'miss' }));
    await writeFile(path.join(ledgerDir, `feedback-${DAY}.jsonl`), `${feedback.join('\n')}\n`);
    const captureBytes = (await stat(path.join(captureDir, 'bench', `capture-${DAY}.jsonl.gz`))).size;
    process.stderr.write(`[bench] wrote ${N} captured requests (${(captureBytes / 1e6).toFixed(1)} MB gzip) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

    const baseline = ruleFile(served);
    const started = performance.now();
    const cpu0 = process.cpuUsage();
    const result = await runBacktest({
      policy: 'bench',
      candidate: ruleFile(draft),
      baselineFile: async (version) => (version === 1 ? baseline : null),
      captured: (query) => readCaptured({ captureDir, ...query }),
      feedback: (from) => new FeedbackLedger(ledgerDir).latestByRequest(from),
      records: (range) => readLedger(ledgerDir, { ...range, onSkip: () => {} }),
      pricing: DEFAULT_PRICING,
      from: `${DAY}T00:00:00.000Z`,
      to: `${DAY}T23:59:59.999Z`,
    });
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cost = await captureCost();
    const lines = [
      `# Backtest bench (${new Date().toISOString().slice(0, 10)}, node ${process.version})`,
      '',
      `| figure | value |`,
      `|---|---|`,
      `| captured requests replayed | ${result.replayed.toLocaleString('en')} |`,
      `| backtest wall time | ${seconds.toFixed(2)} s (target < 30 s) |`,
      `| backtest CPU (user+sys) | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s |`,
      `| per request | ${((seconds * 1e6) / result.replayed).toFixed(1)} µs |`,
      `| baseline / candidate cost | $${result.baseline.costUsd.toFixed(2)} / $${result.candidate.costUsd.toFixed(2)} |`,
      `| candidate cache hits, refusals, degradations | ${result.candidate.cacheHits}, ${result.candidate.refusals}, ${result.candidate.degradations} |`,
      `| capture on the request (offer) | ${cost.offerUs.toFixed(2)} µs/request |`,
      `| capture off the request (redact, JSON, gzip, append) | ${cost.backgroundUs.toFixed(1)} µs/request |`,
      `| capture on disk | ${cost.bytesPerRequest.toFixed(0)} bytes/request |`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();
