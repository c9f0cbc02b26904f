import { describe, expect, it } from 'vitest';
import type { JobState } from '../../server/batch/batch-job.js';
import { responsesWire } from '../../server/responses/responses-wire.js';

const job = {
  id: '0b9c1f2e-1111-4222-8333-944455556666',
  provider: 'openai',
  model: 'gpt-4o-mini',
  body: {},
  requestedModel: 'gpt-4o',
  policy: 'p',
  policyVersion: 1,
  rule: 'r',
  tags: {},
  serviceKey: 'key_1',
  user: '',
  acceptedAt: '2026-12-07T06:00:00.000Z',
} as unknown as JobState['job'];
const state = (s: Partial<JobState>): JobState => ({ job, status: 'queued', batchId: null, answer: null, costUsd: 0, ...s });
const view = (s: Partial<JobState>) => responsesWire({}).deferred(state(s))!;

describe('a batch-lane job as a background response', () => {
  it('is queued, then in progress once its batch is sent, named by the request id and accepted time', () => {
    expect(view({})).toMatchObject({ id: 'resp_0b9c1f2e111142228333944455556666', object: 'response', status: 'queued', background: true, created_at: Date.parse(job.acceptedAt) / 1000, output: [], usage: null });
    expect(view({ status: 'submitted', batchId: 'batch_1' })).toMatchObject({ status: 'in_progress' });
  });

  it('is completed with the answer and its usage, or failed with the reason', () => {
    const body = { id: 'c', created: 1_800_000_000, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: 'Paris.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 9, completion_tokens: 2 } };
    expect(view({ status: 'completed', answer: { ok: true, body, usage: null } })).toMatchObject({
      status: 'completed',
      background: true,
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Paris.' }] }],
      usage: { input_tokens: 9, output_tokens: 2, total_tokens: 11 },
    });
    expect(view({ status: 'failed', answer: { ok: false, error: 'the provider refused the batch' } })).toMatchObject({ status: 'failed', error: { code: 'server_error', message: 'the provider refused the batch' } });
  });
});
