import { formatUsd } from '../../shared/cost.js';
import type { JobState } from './batch-job.js';

export const jobPath = (id: string) => `/v1/tollgate/jobs/${id}`;

/** A job as GET /v1/tollgate/jobs/:id (and a webhook) shows it; the answer, once there, is an OpenAI chat.completion. */
export function jobView(state: JobState): Record<string, unknown> {
  const { job, status, answer } = state;
  return {
    id: job.id,
    object: 'tollgate.job',
    status,
    model: job.model,
    provider: job.provider,
    created_at: Math.floor(Date.parse(job.acceptedAt) / 1000),
    poll: jobPath(job.id),
    batch_id: state.batchId,
    ...(answer?.ok ? { response: answer.body, cost_usd: formatUsd(state.costUsd) } : {}),
    ...(answer && !answer.ok ? { error: { message: answer.error, type: 'upstream_error', code: 'batch_request_failed' } } : {}),
  };
}
