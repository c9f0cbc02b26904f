import { FeedbackLedger } from '../../server/feedback/feedback-ledger.js';
import { readCaptured } from '../../server/capture/read-captured.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../shared/compiler/compile.js';
import type { GraphInput } from '../../shared/graph.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import type { RuleFile } from '../../shared/rule-file.js';
import type { BacktestResult } from '../../shared/backtest-api.js';
import type { CapturedRequest } from '../../server/capture/captured-request.js';
import { runBacktest } from '../../server/backtest/run-backtest.js';
import { readLedger } from '../../server/ledger/read-ledger.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { edge, node } from '../compiler/graph-builders.js';
import { ledgerRecord } from '../ledger/record-fixture.js';

/** v1, what served the traffic: every request goes to the model it asked for. */
const servedGraph: GraphInput = { id: 'bt', name: 'bt', nodes: [node('req', 'request'), node('all', 'route', { model: '*' })], edges: [edge('req', 'next', 'all')] };

/** The draft: search goes through an exact cache to gpt-4o-mini; everyone else is held to $0.01 a month per team. */
const draftGraph: GraphInput = {
  id: 'bt',
  name: 'bt',
  version: 2,
  nodes: [
    node('req', 'request'),
    node('search', 'condition', { tests: [{ fact: 'tags', path: 'team', operator: 'equal', value: 'search' }] }),
    node('c', 'cache', {}),
    node('cheap', 'route', { model: 'gpt-4o-mini' }),
    node('budget', 'budget', { scope: 'tag:team', limitUsd: 0.01, window: 'month' }),
    node('all', 'route', { model: '*' }),
    node('stop', 'block', {}),
  ],
  edges: [edge('req', 'next', 'search'), edge('search', 'true', 'c'), edge('c', 'next', 'cheap'), edge('search', 'false', 'budget'), edge('budget', 'ok', 'all'), edge('budget', 'over', 'stop')],
};

function ruleFile(graph: GraphInput): RuleFile {
  const { ruleFile } = compile(graph);
  if (!ruleFile) throw new Error('fixture graph does not compile');
  return ruleFile;
}

/** "What is the capital of France?" is 14 prompt tokens by the o200k count (3 + 4 per message + 7). */
const QUESTION = 'What is the capital of France?';

const served = (id: string, time: string, team: string, over: Partial<LedgerRecord>): LedgerRecord =>
  ledgerRecord({ id, time, policy: 'bt', policyVersion: 1, rule: 'all', tags: { team }, serviceKey: 'key_a', user: 'u', ...over });

const ledger: LedgerRecord[] = [
  // Earlier in the month, not captured: counts toward the ads budget on both sides.
  served('s0', '2025-06-01T12:00:00.000Z', 'ads', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', costUsd: 0.008 }),
  served('r1', '2025-06-02T10:00:00.000Z', 'search', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', outputTokens: 100, costUsd: 0.00102 }),
  served('r2', '2025-06-02T10:01:00.000Z', 'search', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', outputTokens: 100, costUsd: 0.00102 }),
  served('r3', '2025-06-02T10:02:00.000Z', 'ads', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', outputTokens: 50, costUsd: 0.0015 }),
  // Another policy's traffic in the window spends the same team's budget.
  ledgerRecord({ id: 'o1', time: '2025-06-02T10:02:30.000Z', policy: 'other', tags: { team: 'ads' }, costUsd: 0.0004 }),
  served('r4', '2025-06-02T10:03:00.000Z', 'ads', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', outputTokens: 40, costUsd: 0.001 }),
  served('r5', '2025-06-02T10:04:00.000Z', 'ads', { requestedModel: 'gpt-4o', servedModel: 'gpt-4o', outputTokens: 40, costUsd: 0.002 }),
  served('r6', '2025-06-02T10:05:00.000Z', 'other', { requestedModel: 'gpt-4o-mini', servedModel: 'gpt-4o-mini', outputTokens: 30, costUsd: 0.0001 }),
];

function capturedOf(record: LedgerRecord): CapturedRequest {
  return {
    id: record.id,
    time: record.time,
    factsTime: record.time,
    policy: 'bt',
    request: { model: record.requestedModel, messages: [{ role: 'user', content: QUESTION }] },
    caller: { tags: record.tags, serviceKey: record.serviceKey, user: record.user, tier: '' },
  };
}

const feedback = [
  { requestId: 'r1', score: 0.9, servedModel: 'gpt-4o' },
  { requestId: 'r6', score: 0.5, servedModel: 'gpt-4o-mini' },
].map((f) => ({ ...f, time: '2025-06-02T11:00:00.000Z', policy: 'bt', rule: 'all', cache: 'miss' }));

let root: string;
let result: BacktestResult;
const progress: [number, number][] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tollgate-backtest-'));
  const ledgerDir = path.join(root, 'ledger');
  const captureDir = path.join(root, 'capture');
  await mkdir(path.join(captureDir, 'bt'), { recursive: true });
  await mkdir(ledgerDir, { recursive: true });
  for (const day of ['2025-06-01', '2025-06-02']) {
    const lines = ledger.filter((r) => r.time.startsWith(day)).map((r) => JSON.stringify(r));
    await writeFile(path.join(ledgerDir, `usage-${day}.jsonl`), `${lines.join('\n')}\n`);
  }
  await writeFile(path.join(ledgerDir, 'feedback-2025-06-02.jsonl'), `${feedback.map((f) => JSON.stringify(f)).join('\n')}\n`);
  const captured = ledger.filter((r) => r.id.startsWith('r')).map((r) => JSON.stringify(capturedOf(r)));
  // Two gzip members in one file, as the capture store appends them.
  const file = path.join(captureDir, 'bt', 'capture-2025-06-02.jsonl.gz');
  await writeFile(file, Buffer.concat([gzipSync(`${captured.slice(0, 3).join('\n')}\n`), gzipSync(`${captured.slice(3).join('\n')}\n`)]));

  const baseline = ruleFile(servedGraph);
  result = await runBacktest({
    policy: 'bt',
    candidate: ruleFile(draftGraph),
    baselineFile: async (version) => (version === 1 ? baseline : null),
    captured: (query) => readCaptured({ captureDir, ...query }),
    feedback: (from) => new FeedbackLedger(ledgerDir).latestByRequest(from),
    records: (range) => readLedger(ledgerDir, { ...range, onSkip: () => {} }),
    pricing: DEFAULT_PRICING,
    from: '2025-06-02T00:00:00.000Z',
    to: '2025-06-03T00:00:00.000Z',
    onProgress: (done, total) => progress.push([done, total]),
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** r1 on gpt-4o-mini: 14 prompt tokens at $0.15/M plus its recorded 100 output tokens at $0.60/M. */
const R1_CHEAP = (14 * 0.15 + 100 * 0.6) / 1e6;

describe('backtest replay on a fixed captured set', () => {
  it('totals what the ledger served as the baseline', () => {
    expect(result.replayed).toBe(6);
    expect(result.baseline).toMatchObject({ requests: 6, refusals: 0, degradations: 0, cacheHits: 0, quality: 0.7, qualityScored: 2 });
    expect(result.baseline.costUsd).toBeCloseTo(0.00102 + 0.00102 + 0.0015 + 0.001 + 0.002 + 0.0001, 12);
    expect(result.baseline.costMicroUsd).toBe(6640);
  });

  it('matches a replay by hand: re-priced cheap route, a cache hit, the budget crossed by r4 with other traffic, recorded costs kept', () => {
    // r1 -> mini (estimated); r2 -> exact cache hit on r1's key (free); r3 and r4 -> same rule and model (the ledger's cost);
    // budget after r4: 0.008 + 0.0015 + 0.0004 + 0.001 = 0.0109 of 0.01, so r5 is blocked; r6 -> its own team, recorded.
    expect(result.candidate).toMatchObject({ requests: 6, refusals: 1, degradations: 0, cacheHits: 1, qualityScored: 5 });
    expect(result.candidate.costUsd).toBeCloseTo(R1_CHEAP + 0.0015 + 0.001 + 0.0001, 12);
    // r1 and r2 get mini's mean (0.5), r3 and r4 gpt-4o's (0.9), r6 its own 0.5.
    expect(result.candidate.quality).toBeCloseTo((0.5 + 0.5 + 0.9 + 0.9 + 0.5) / 5, 6);
  });

  it('splits the figures by team, model and rule', () => {
    const team = Object.fromEntries(result.byTeam.map((g) => [g.key, g]));
    expect(team.search!.baseline.costUsd).toBeCloseTo(0.00204, 12);
    expect(team.search!.candidate.costUsd).toBeCloseTo(R1_CHEAP, 12);
    expect(team.ads!.candidate).toMatchObject({ requests: 3, refusals: 1 });
    const model = Object.fromEntries(result.byModel.map((g) => [g.key, g]));
    expect(model['gpt-4o']!.baseline.requests).toBe(5);
    expect(model['gpt-4o']!.candidate.requests).toBe(2);
    expect(model['gpt-4o-mini']!.candidate).toMatchObject({ requests: 3, cacheHits: 1 });
    expect(model['']!.candidate.refusals).toBe(1);
    expect(result.byRule.map((g) => g.key)).toEqual(['all', 'cheap', 'stop']);
  });

  it('lists the changed requests by cost delta with both paths and traces', () => {
    expect(result.changed.map((c) => c.id)).toEqual(['r5', 'r2', 'r1']);
    const [r5] = result.changed;
    expect(r5!.costDeltaUsd).toBeCloseTo(-0.002, 12);
    expect(r5!.baseline).toMatchObject({ rule: 'all', model: 'gpt-4o', outcome: 'served', path: ['req', 'all'] });
    expect(r5!.candidate).toMatchObject({ rule: 'stop', model: null, outcome: 'refused', path: ['req', 'search', 'budget', 'stop'] });
    const budgetTest = JSON.stringify(r5!.candidate.trace.find((t) => t.rule === 'stop')!.conditions);
    // The trace shows the budget as it stood when r5 arrived: 109% of the limit.
    expect(budgetTest).toMatch(/"factValue":109\.0000000/);
    expect(r5!.baseline.trace.map((t) => t.rule)).toEqual(['all']);
  });

  it('reports progress up to the number replayed', () => {
    expect(progress.at(-1)).toEqual([6, 6]);
  });
});

describe('backtest ledger source', () => {
  it('takes its records from the records function, not the ledger folder (PostgreSQL across instances in the runtime)', async () => {
    const emptyLedger = await mkdtemp(path.join(tmpdir(), 'tollgate-backtest-empty-'));
    const asked: { from: string; to: string }[] = [];
    async function* fromElsewhere(range: { from: string; to: string }): AsyncGenerator<LedgerRecord> {
      asked.push(range);
      for (const r of ledger) if (r.time >= range.from && r.time < range.to) yield r;
    }
    try {
      const baseline = ruleFile(servedGraph);
      const again = await runBacktest({
        policy: 'bt',
        candidate: ruleFile(draftGraph),
        baselineFile: async (version) => (version === 1 ? baseline : null),
        captured: (query) => readCaptured({ captureDir: path.join(root, 'capture'), ...query }),
        feedback: (from) => new FeedbackLedger(emptyLedger).latestByRequest(from),
        records: fromElsewhere,
        pricing: DEFAULT_PRICING,
        from: '2025-06-02T00:00:00.000Z',
        to: '2025-06-03T00:00:00.000Z',
      });
      expect(asked).toHaveLength(1);
      expect(asked[0]!.to).toBe('2025-06-03T00:00:00.000Z');
      expect(Date.parse(asked[0]!.from)).toBeLessThanOrEqual(Date.parse('2025-06-01T00:00:00.000Z'));
      expect(again.baseline.costMicroUsd).toBe(result.baseline.costMicroUsd);
      expect(again.candidate.refusals).toBe(result.candidate.refusals);
      expect(again.candidate.costUsd).toBeCloseTo(result.candidate.costUsd, 12);
    } finally {
      await rm(emptyLedger, { recursive: true, force: true });
    }
  });
});
