/**
 * A fake OpenAI Batch API for HTTP tests, on a real node:http server on 127.0.0.1:
 *   POST /v1/files                multipart/form-data, purpose=batch, a JSONL file of {custom_id, method, url, body}
 *   POST /v1/batches              {input_file_id, endpoint, completion_window} -> a batch, status "validating"
 *   GET  /v1/batches/:id          "in_progress" for `pollsBeforeDone` polls, then "completed" with output_file_id
 *   GET  /v1/files/:id/content    the output JSONL: {id, custom_id, response: {status_code, request_id, body}, error}
 * Each body is answered as the chat fake does: `echo <model>: <last user text>`, prompt_tokens =
 * 10 per message, completion_tokens = words in the answer. `batches` lists what was submitted.
 * `POST /v1/chat/completions` (JSON only) answers the same way, for requests that are not deferred.
 * Faults (`setFault`, see loopback-upstream.ts): `status` answers any request with that error.
 */
import type { UpstreamServer } from './loopback-upstream.js';
import { sendJson, startLoopbackUpstream } from './loopback-upstream.js';

type Json = Record<string, unknown>;

export interface OpenAIBatchUpstreamOptions {
  apiKey?: string;
  /** Polls answered "in_progress" before a batch completes (default 1). */
  pollsBeforeDone?: number;
}

export interface SubmittedBatch {
  id: string;
  endpoint: string;
  completionWindow: string;
  lines: { custom_id: string; method: string; url: string; body: Json }[];
}

export interface OpenAIBatchUpstream extends UpstreamServer {
  batches: SubmittedBatch[];
}

export async function startOpenAIBatchUpstream(options: OpenAIBatchUpstreamOptions = {}): Promise<OpenAIBatchUpstream> {
  const files = new Map<string, string>();
  const batches: SubmittedBatch[] = [];
  const polls = new Map<string, number>();
  const outputs = new Map<string, string>();
  let next = 1;

  const server = await startLoopbackUpstream(async ({ request, res, fault }) => {
    if (fault?.status) return sendJson(res, fault.status, { error: { message: fault.message ?? `injected failure ${fault.status}`, type: 'server_error', param: null, code: null } });
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendJson(res, 401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    const { method, path } = request;
    if (method === 'POST' && path === '/v1/chat/completions') {
      const line = { custom_id: 'sync', method, url: path, body: (request.body ?? {}) as Json };
      return sendJson(res, 200, (outputLine(line, `sync-${next++}`).response as Json).body);
    }
    if (method === 'POST' && path === '/v1/files') {
      const form = parseMultipart(String(request.body ?? ''), String(request.headers['content-type'] ?? ''));
      if (form.purpose !== 'batch' || form.file === undefined) return badRequest(res, 'purpose must be batch and a file is required');
      const id = `file-${next++}`;
      files.set(id, form.file);
      return sendJson(res, 200, { id, object: 'file', bytes: Buffer.byteLength(form.file), created_at: now(), filename: form.filename ?? 'input.jsonl', purpose: 'batch' });
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = (request.body ?? {}) as Json;
      const input = files.get(String(body.input_file_id));
      if (!input || body.endpoint !== '/v1/chat/completions' || body.completion_window !== '24h') return badRequest(res, 'input_file_id, endpoint and completion_window are required');
      const id = `batch_${next++}`;
      const lines = input.trim().split('\n').map((l) => JSON.parse(l) as SubmittedBatch['lines'][number]);
      batches.push({ id, endpoint: body.endpoint, completionWindow: body.completion_window, lines });
      polls.set(id, 0);
      return sendJson(res, 200, batchObject(id, body, 'validating', null, lines.length));
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)$/.exec(path);
    if (method === 'GET' && batchMatch) {
      const batch = batches.find((b) => b.id === batchMatch[1]);
      if (!batch) return sendJson(res, 404, { error: { message: 'No such batch', type: 'invalid_request_error', param: null, code: null } });
      const seen = polls.get(batch.id)! + 1;
      polls.set(batch.id, seen);
      const input = { input_file_id: 'file-in', endpoint: batch.endpoint, completion_window: batch.completionWindow };
      if (seen <= (options.pollsBeforeDone ?? 1)) return sendJson(res, 200, batchObject(batch.id, input, 'in_progress', null, batch.lines.length));
      let output = [...outputs.entries()].find(([, b]) => b === batch.id)?.[0];
      if (!output) {
        output = `file-${next++}`;
        outputs.set(output, batch.id);
        files.set(output, batch.lines.map((line, i) => JSON.stringify(outputLine(line, `${batch.id}-${i}`))).join('\n') + '\n');
      }
      return sendJson(res, 200, batchObject(batch.id, input, 'completed', output, batch.lines.length));
    }
    const contentMatch = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && contentMatch && files.has(contentMatch[1]!)) {
      const text = files.get(contentMatch[1]!)!;
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    sendJson(res, 404, { error: { message: `Unknown request URL: ${method} ${path}`, type: 'invalid_request_error', param: null, code: 'unknown_url' } });
  }, '/v1');
  return { ...server, batches };
}

const now = () => Math.floor(Date.now() / 1000);

function badRequest(res: Parameters<typeof sendJson>[0], message: string): void {
  sendJson(res, 400, { error: { message, type: 'invalid_request_error', param: null, code: null } });
}

function batchObject(id: string, input: Json, status: string, outputFileId: string | null, total: number): Json {
  const done = status === 'completed';
  return {
    id,
    object: 'batch',
    endpoint: input.endpoint,
    errors: null,
    input_file_id: input.input_file_id,
    completion_window: input.completion_window,
    status,
    output_file_id: outputFileId,
    error_file_id: null,
    created_at: now(),
    completed_at: done ? now() : null,
    request_counts: { total, completed: done ? total : 0, failed: 0 },
    metadata: null,
  };
}

function outputLine(line: SubmittedBatch['lines'][number], requestId: string): Json {
  const messages = (line.body.messages ?? []) as { role?: string; content?: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const text = `echo ${String(line.body.model)}: ${typeof last?.content === 'string' ? last.content : ''}`;
  const completionTokens = text.split(/\s+/).filter(Boolean).length;
  return {
    id: `batch_req_${requestId}`,
    custom_id: line.custom_id,
    response: {
      status_code: 200,
      request_id: requestId,
      body: {
        id: `chatcmpl-${requestId}`,
        object: 'chat.completion',
        created: now(),
        model: line.body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: text, refusal: null }, logprobs: null, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10 * messages.length, completion_tokens: completionTokens, total_tokens: 10 * messages.length + completionTokens, prompt_tokens_details: { cached_tokens: 0 } },
      },
    },
    error: null,
  };
}

/** Just enough multipart/form-data for text fields and one text file. */
function parseMultipart(body: string, contentType: string): { purpose?: string; file?: string; filename?: string } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  if (!boundary) return {};
  const out: { purpose?: string; file?: string; filename?: string } = {};
  for (const part of body.split(`--${boundary[1] ?? boundary[2]}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const value = part.slice(split + 4).replace(/\r\n$/, '');
    const name = /name="([^"]+)"/.exec(head)?.[1];
    if (name === 'purpose') out.purpose = value;
    if (name === 'file') {
      out.file = value;
      const filename = /filename="([^"]+)"/.exec(head)?.[1];
      if (filename) out.filename = filename;
    }
  }
  return out;
}
