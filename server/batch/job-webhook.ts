import type { JobState } from './batch-job.js';
import { jobView } from './job-view.js';

export interface WebhookLog {
  warn(obj: object, msg: string): void;
}

/**
 * POSTs a finished job to the URL in the variable its Batch lane node names. Best effort: the
 * job stays pollable whatever the hook answers, so a failure is logged (without the URL, which
 * may carry a token) and not retried.
 */
export async function notifyWebhook({ state, env, log }: { state: JobState; env: Record<string, string | undefined>; log: WebhookLog }): Promise<void> {
  const name = state.job.webhookUrlEnv;
  if (!name) return;
  const url = env[name]?.trim();
  if (!url) {
    log.warn({ variable: name, job: state.job.id }, 'the batch webhook variable is not set; the job is only pollable');
    return;
  }
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(jobView(state)),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (!response.ok) log.warn({ variable: name, job: state.job.id, status: response.status }, 'the batch webhook refused a job');
  } catch (error) {
    log.warn({ variable: name, job: state.job.id, error: (error as Error).name }, 'the batch webhook could not be reached');
  }
}
