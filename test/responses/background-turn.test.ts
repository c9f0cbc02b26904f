import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestIdOf } from '../../shared/answer-ids.js';
import type { JobState, JobStatus, BatchAnswer } from '../../server/batch/batch-job.js';
import { createLogger } from '../../server/log.js';
import { settled } from '../../server/responses/background-turn.js';
import { openTurn } from '../../server/responses/conversation.js';
import { LocalResponseStore } from '../../server/responses/local-response-store.js';
import { storedResponseOf } from '../../server/responses/stored-response.js';

/** A background record on a real store, completed (or not) from the job states a batch lane would hold. */
let dir: string;
let store: LocalResponseStore;
const ID = 'resp_0123456789abcdef0123456789abcdef';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-background-'));
  store = LocalResponseStore.open({ dir, maxBytes: 1024 * 1024, keepMs: 86_400_000, log: createLogger('silent') });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function pendingRecord() {
  const response = { id: ID, object: 'response', status: 'queued', background: true, instructions: 'Be brief.', output: [] };
  return storedResponseOf({ response, owner: 'key_a', input: [{ type: 'message', role: 'user', content: 'Name a red fruit.' }], earlier: [], pending: true, now: Date.now(), keepMs: 86_400_000 });
}

function job(status: JobStatus, answer: BatchAnswer | null = null, serviceKey = 'key_a'): JobState {
  const base = { id: requestIdOf(ID), provider: 'openai' as const, model: 'gpt-4o-mini', body: {}, requestedModel: 'gpt-4o', policy: 'p', policyVersion: 1, rule: 'r', tags: {}, serviceKey, user: '', acceptedAt: new Date().toISOString(), webhookUrlEnv: '' };
  return { job: base, status, batchId: null, answer, costUsd: 0 };
}

const completion = { ok: true as const, usage: null, body: { created: 1, model: 'gpt-4o-mini', choices: [{ message: { role: 'assistant', content: 'A cherry.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 10, completion_tokens: 2 } } };

describe('settled: a background response completed from its job', () => {
  it('shows the job as it goes, keeps the request settings, and is kept completed once answered', async () => {
    store.put(pendingRecord());
    const kept = (await store.get(ID, 'key_a'))!;
    const running = settled(kept, { jobs: () => job('submitted'), store });
    expect(running).toMatchObject({ pending: true, response: { status: 'in_progress', instructions: 'Be brief.' } });

    const done = settled(kept, { jobs: () => job('completed', completion), store });
    expect(done.pending).toBeUndefined();
    expect(done.response).toMatchObject({ status: 'completed', instructions: 'Be brief.', model: 'gpt-4o-mini' });
    expect(done.output).toEqual([expect.objectContaining({ role: 'assistant', content: 'A cherry.' })]);
    // Kept so: read again, it needs no job.
    expect(settled((await store.get(ID, 'key_a'))!, { jobs: () => undefined, store })).toEqual(done);
  });

  it('refuses to continue a failed background response, naming it', async () => {
    store.put(pendingRecord());
    const jobs = () => job('failed', { ok: false, error: 'the provider expired the batch' });
    const turn = openTurn(store, { model: 'gpt-4o', input: [{ type: 'message', role: 'user', content: 'And yellow?' }], previous_response_id: ID }, { owner: 'key_a', jobs });
    await expect(turn).rejects.toMatchObject({ status: 400, code: 'previous_response_failed', field: 'previous_response_id' });
    expect((await store.get(ID, 'key_a'))!.response).toMatchObject({ status: 'failed', error: { message: 'the provider expired the batch' } });
  });

  it("never completes a record from another service key's job", async () => {
    store.put(pendingRecord());
    const kept = (await store.get(ID, 'key_a'))!;
    expect(settled(kept, { jobs: () => job('completed', completion, 'key_b'), store })).toBe(kept);
  });
});
