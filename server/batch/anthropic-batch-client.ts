import { ANTHROPIC_VERSION } from '../providers/anthropic-provider.js';
import { toChatCompletion, usageFromAnthropic } from '../providers/anthropic-response.js';
import type { BatchClient } from './batch-client.js';
import { fetchJson, fetchText, jsonLines } from './batch-client.js';
import type { BatchAnswer, BatchJob } from './batch-job.js';

/** Anthropic's Message Batches: `POST /v1/messages/batches`, polled until processing_status is "ended", results from results_url. */
export class AnthropicBatchClient implements BatchClient {
  private readonly headers: Record<string, string>;

  /** `baseUrl` without `/v1`, as for the Messages API. */
  constructor(private readonly options: { baseUrl: string; apiKey?: string | undefined }) {
    this.headers = { 'anthropic-version': ANTHROPIC_VERSION, ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}) };
  }

  private url(path: string): string {
    return this.options.baseUrl.replace(/\/+$/, '') + path;
  }

  async submit(jobs: BatchJob[]): Promise<string> {
    const batch = await fetchJson(this.url('/v1/messages/batches'), {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ requests: jobs.map((job) => ({ custom_id: job.id, params: job.body })) }),
      what: 'anthropic POST /v1/messages/batches',
    });
    if (typeof batch.id !== 'string') throw new Error('anthropic POST /v1/messages/batches answered without a batch id');
    return batch.id;
  }

  async poll(batchId: string): Promise<Map<string, BatchAnswer> | null> {
    const batch = await fetchJson(this.url(`/v1/messages/batches/${encodeURIComponent(batchId)}`), { headers: this.headers, what: 'anthropic GET /v1/messages/batches/:id' });
    if (batch.processing_status !== 'ended') return null;
    const answers = new Map<string, BatchAnswer>();
    if (typeof batch.results_url !== 'string') return answers;
    // results_url is the provider's own absolute URL; the key goes only to that same origin.
    const results = new URL(batch.results_url, this.options.baseUrl);
    if (results.origin !== new URL(this.options.baseUrl).origin) throw new Error('anthropic results_url points at another host');
    const text = await fetchText(results.href, { headers: this.headers, what: 'anthropic GET results_url' });
    for (const line of jsonLines(text)) if (typeof line.custom_id === 'string') answers.set(line.custom_id, answerOf(line.result));
    return answers;
  }
}

function answerOf(raw: unknown): BatchAnswer {
  const result = raw as { type?: unknown; message?: Record<string, unknown>; error?: { error?: { message?: unknown }; message?: unknown } } | undefined;
  if (result?.type === 'succeeded' && result.message) return { ok: true, body: toChatCompletion(result.message), usage: usageFromAnthropic(result.message.usage) };
  const message = result?.error?.error?.message ?? result?.error?.message;
  return { ok: false, error: typeof message === 'string' ? message : `the batch request ${String(result?.type ?? 'has no result')}` };
}
