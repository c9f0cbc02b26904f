import type { JobState } from '../batch/batch-job.js';
import { usageFromOpenAI } from '../providers/openai-usage.js';
import type { AnswerWire } from '../runtime/answer-wire.js';

type Json = Record<string, unknown>;

/**
 * A batch-lane job as the Responses API shows a background response: queued until its batch is
 * sent, in_progress while the provider works on it, then completed (the chat answer as a
 * response) or failed. The job's id is the request's, so the response id names it.
 */
export function jobAsResponse(state: JobState, wire: AnswerWire, skeleton: (status: string) => Json): Json {
  const { job, status, answer } = state;
  if (status === 'queued' || status === 'submitted') return skeleton(status === 'queued' ? 'queued' : 'in_progress');
  if (answer?.ok) {
    const usage = answer.usage ?? usageFromOpenAI(answer.body.usage) ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
    return { ...wire.whole(answer.body, { usage, requestId: job.id })!, background: true };
  }
  return { ...skeleton('failed'), error: { code: 'server_error', message: answer?.error ?? 'the batch request failed' } };
}
