import { usageFromOpenAI } from '../providers/openai-usage.js';
import type { BatchClient } from './batch-client.js';
import { fetchJson, fetchText, jsonLines } from './batch-client.js';
import type { BatchAnswer, BatchJob } from './batch-job.js';

const ENDPOINT = '/v1/chat/completions';
const FAILED = new Set(['failed', 'expired', 'cancelled', 'cancelling']);

/** OpenAI's Batch API: the jobs as a JSONL file (`POST /files`, purpose batch), then `POST /batches`; polled with `GET /batches/:id`. */
export class OpenAIBatchClient implements BatchClient {
  private readonly headers: Record<string, string>;

  /** `baseUrl` ends where `/files` and `/batches` go (usually `/v1`), as for chat completions. */
  constructor(private readonly options: { baseUrl: string; apiKey?: string | undefined }) {
    this.headers = options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {};
  }

  private url(path: string): string {
    return this.options.baseUrl.replace(/\/+$/, '') + path;
  }

  async submit(jobs: BatchJob[]): Promise<string> {
    const lines = jobs.map((job) => JSON.stringify({ custom_id: job.id, method: 'POST', url: ENDPOINT, body: job.body }));
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([lines.join('\n') + '\n'], { type: 'application/jsonl' }), 'tollgate-batch.jsonl');
    const file = await fetchJson(this.url('/files'), { method: 'POST', headers: this.headers, body: form, what: 'openai POST /files' });
    const batch = await fetchJson(this.url('/batches'), {
      method: 'POST',
      headers: { ...this.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ input_file_id: file.id, endpoint: ENDPOINT, completion_window: '24h' }),
      what: 'openai POST /batches',
    });
    if (typeof batch.id !== 'string') throw new Error('openai POST /batches answered without a batch id');
    return batch.id;
  }

  async poll(batchId: string): Promise<Map<string, BatchAnswer> | null> {
    const batch = await fetchJson(this.url(`/batches/${encodeURIComponent(batchId)}`), { headers: this.headers, what: 'openai GET /batches/:id' });
    const answers = new Map<string, BatchAnswer>();
    if (FAILED.has(String(batch.status))) return answers;
    if (batch.status !== 'completed') return null;
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (typeof fileId !== 'string') continue;
      const text = await fetchText(this.url(`/files/${encodeURIComponent(fileId)}/content`), { headers: this.headers, what: 'openai GET /files/:id/content' });
      for (const line of jsonLines(text)) if (typeof line.custom_id === 'string') answers.set(line.custom_id, answerOf(line));
    }
    return answers;
  }
}

function answerOf(line: Record<string, unknown>): BatchAnswer {
  const response = line.response as { status_code?: unknown; body?: unknown } | null | undefined;
  const body = response?.body as Record<string, unknown> | undefined;
  if (response?.status_code === 200 && body && typeof body === 'object') return { ok: true, body, usage: usageFromOpenAI(body.usage) };
  const message = (body?.error as { message?: unknown } | undefined)?.message ?? (line.error as { message?: unknown } | null | undefined)?.message;
  return { ok: false, error: typeof message === 'string' ? message : `the batch answered status ${String(response?.status_code ?? 'none')}` };
}
