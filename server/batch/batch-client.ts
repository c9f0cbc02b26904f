import type { BatchAnswer, BatchJob } from './batch-job.js';

/** One provider's batch API: send jobs as one batch, then ask whether it has finished. */
export interface BatchClient {
  /** Sends the jobs as one batch; resolves to the provider's batch id. */
  submit(jobs: BatchJob[]): Promise<string>;
  /** Null while the batch runs; then the answer per job id (a job missing from the results is the lane's to fail). */
  poll(batchId: string): Promise<Map<string, BatchAnswer> | null>;
}

/** A JSON answer from a batch endpoint, or an Error naming the endpoint and status (never the request's headers). */
export async function fetchJson(url: string, init: RequestInit & { what: string }): Promise<Record<string, unknown>> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.what} answered HTTP ${response.status}: ${errorMessage(text)}`);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`${init.what} answered something that is not JSON`);
  }
}

export async function fetchText(url: string, init: RequestInit & { what: string }): Promise<string> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.what} answered HTTP ${response.status}: ${errorMessage(text)}`);
  return text;
}

/** Both providers wrap errors as {error: {message}} (Anthropic one level deeper in batch results). */
function errorMessage(text: string): string {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    if (typeof message === 'string') return message.slice(0, 300);
  } catch {
    // Not JSON: the start of the text says enough.
  }
  return text.slice(0, 300);
}

export function jsonLines(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // A line we cannot read leaves its job without an answer; the lane fails it by name.
    }
  }
  return out;
}
