import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchCostOf } from '../../server/batch/batch-cost.js';
import { replayJournal, type BatchJob } from '../../server/batch/batch-job.js';
import { BatchJournal } from '../../server/batch/batch-journal.js';
import { wantsBatch } from '../../server/batch/defer-chat.js';
import { HttpError } from '../../server/errors/http-error.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';

const job = (id: string, acceptedAt = '2026-01-01T00:00:00.000Z'): BatchJob => ({
  id,
  provider: 'openai',
  model: 'gpt-4o-mini',
  body: { model: 'gpt-4o-mini', messages: [] },
  requestedModel: 'gpt-4o',
  policy: 'p',
  policyVersion: 1,
  rule: 'r',
  tags: {},
  serviceKey: 'anonymous',
  user: '',
  acceptedAt,
  webhookUrlEnv: '',
});

describe('the batch journal', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tollgate-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replays accepted, submitted and finished jobs into their states', () => {
    const { journal } = BatchJournal.open(dir);
    journal.append([{ type: 'accepted', job: job('a') }, { type: 'accepted', job: job('b') }, { type: 'accepted', job: job('c') }]);
    journal.append([{ type: 'submitted', batchId: 'batch_1', provider: 'openai', ids: ['a', 'b'] }]);
    journal.append([{ type: 'finished', id: 'a', answer: { ok: true, body: { object: 'chat.completion' }, usage: null }, costUsd: 0.5 }]);
    journal.close();
    const { entries, skipped } = BatchJournal.open(dir);
    const states = replayJournal(entries);
    expect(skipped).toBe(0);
    expect([...states.values()].map((s) => [s.job.id, s.status, s.batchId])).toEqual([
      ['a', 'completed', 'batch_1'],
      ['b', 'submitted', 'batch_1'],
      ['c', 'queued', null],
    ]);
  });

  it('skips a torn last line (a crash mid-write) and keeps the next entry on a line of its own', async () => {
    const first = BatchJournal.open(dir);
    first.journal.append([{ type: 'accepted', job: job('a') }]);
    first.journal.close();
    await appendFile(path.join(dir, 'journal.jsonl'), '{"type":"accepted","job":{"id":"tor');
    const second = BatchJournal.open(dir);
    expect(second.skipped).toBe(1);
    second.journal.append([{ type: 'accepted', job: job('b') }]);
    second.journal.close();
    const third = BatchJournal.open(dir);
    third.journal.close();
    expect(third.skipped).toBe(1);
    expect(third.entries.map((e) => (e.type === 'accepted' ? e.job.id : ''))).toEqual(['a', 'b']);
    expect((await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).split('\n')).toHaveLength(4);
  });
});

describe('journal retention', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tollgate-journal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('drops finished jobs older than the retention at open, keeps unfinished ones however old, and rewrites the file', async () => {
    const old = '2026-01-01T00:00:00.000Z';
    const recent = '2026-01-09T00:00:00.000Z';
    const { journal } = BatchJournal.open(dir);
    journal.append([{ type: 'accepted', job: job('old-done', old) }, { type: 'accepted', job: job('old-waiting', old) }, { type: 'accepted', job: job('new-done', recent) }]);
    journal.append([{ type: 'submitted', batchId: 'b1', provider: 'openai', ids: ['old-done', 'old-waiting', 'new-done'] }]);
    const answer = { ok: true as const, body: {}, usage: null };
    journal.append([{ type: 'finished', id: 'old-done', answer, costUsd: 1 }, { type: 'finished', id: 'new-done', answer, costUsd: 2 }]);
    journal.close();

    const retention = { now: Date.parse('2026-01-10T00:00:00.000Z'), keepMs: 7 * 86_400_000 };
    const opened = BatchJournal.open(dir, retention);
    opened.journal.close();
    const states = replayJournal(opened.entries);
    expect([...states.values()].map((s) => [s.job.id, s.status, s.batchId, s.costUsd])).toEqual([
      ['old-waiting', 'submitted', 'b1', 0],
      ['new-done', 'completed', 'b1', 2],
    ]);
    const reread = BatchJournal.open(dir);
    reread.journal.close();
    expect(reread.entries).toEqual(opened.entries);
    expect((await readFile(path.join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(4);
  });
});

describe('batch costing', () => {
  it('bills half the list price for OpenAI and Anthropic models and books the other half as the batch saving', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 100_000, cachedInputTokens: 0 };
    const mini = batchCostOf({ usage, servedModel: 'gpt-4o-mini', requestedModel: 'gpt-4o-mini', pricing: DEFAULT_PRICING });
    expect(mini).toMatchObject({ costUsd: 0.105, costMicros: 105_000, batchSavedUsd: 0.105, savedUsd: 0 });
    const sonnet = batchCostOf({ usage, servedModel: 'claude-sonnet-4-20250514', requestedModel: 'claude-opus-4-20250514', pricing: DEFAULT_PRICING });
    expect(sonnet.costUsd).toBeCloseTo(2.25, 12);
    expect(sonnet.batchSavedUsd).toBeCloseTo(2.25, 12);
    // Routing from Opus to Sonnet, at the synchronous prices: 22.5 - 4.5.
    expect(sonnet.savedUsd).toBeCloseTo(18, 12);
  });

  it('has no discount for a model without a batch API (Gemini here)', () => {
    const usage = { inputTokens: 1_000_000, outputTokens: 0, cachedInputTokens: 0 };
    expect(batchCostOf({ usage, servedModel: 'gemini-2.5-flash', requestedModel: 'gemini-2.5-flash', pricing: DEFAULT_PRICING })).toMatchObject({ costUsd: 0.3, batchSavedUsd: 0 });
  });
});

describe('which requests are deferred', () => {
  const action = (trigger: 'always' | 'header') => ({ type: 'batch' as const, node: 'lane', trigger, webhookUrlEnv: '' });

  it('defers only behind a Batch lane node: always, or when the caller asks', () => {
    expect(wantsBatch(null, 'batch')).toBe(false);
    expect(wantsBatch(action('header'), undefined)).toBe(false);
    expect(wantsBatch(action('header'), ' Batch ')).toBe(true);
    expect(wantsBatch(action('always'), undefined)).toBe(true);
  });

  it('refuses any other header value with the header named', () => {
    expect(() => wantsBatch(null, 'soon')).toThrow(HttpError);
    const thrown = (() => {
      try {
        wantsBatch(action('always'), 'soon');
      } catch (error) {
        return error as HttpError;
      }
      return null;
    })();
    expect(thrown?.toOpenAI()).toMatchObject({ error: { param: 'x-tollgate-defer', code: 'invalid_header' } });
  });
});
