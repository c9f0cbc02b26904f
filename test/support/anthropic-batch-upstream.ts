/**
 * A fake Anthropic Message Batches API for HTTP tests, on a real node:http server on 127.0.0.1:
 *   POST /v1/messages/batches              {requests: [{custom_id, params}]} -> processing_status "in_progress"
 *   GET  /v1/messages/batches/:id          "in_progress" for `pollsBeforeDone` polls, then "ended" with results_url
 *   GET  /v1/messages/batches/:id/results  JSONL of {custom_id, result: {type: "succeeded", message}}
 * Messages answer `echo <model>: <last user text>`, input_tokens = 10 per message, output_tokens =
 * words; a request whose last user text contains FAIL gets an `errored` result instead. Requests
 * need `x-api-key` (when `apiKey` is set) and `anthropic-version`. Faults: `status` answers any request with that error.
 */
import type { UpstreamServer } from './loopback-upstream.js';
import { sendJson, startLoopbackUpstream } from './loopback-upstream.js';

type Json = Record<string, unknown>;

export interface AnthropicBatchUpstreamOptions {
  apiKey?: string;
  pollsBeforeDone?: number;
}

export interface SubmittedMessageBatch {
  id: string;
  requests: { custom_id: string; params: Json }[];
}

export interface AnthropicBatchUpstream extends UpstreamServer {
  batches: SubmittedMessageBatch[];
}

export async function startAnthropicBatchUpstream(options: AnthropicBatchUpstreamOptions = {}): Promise<AnthropicBatchUpstream> {
  const batches: SubmittedMessageBatch[] = [];
  const polls = new Map<string, number>();
  let next = 1;
  let base = '';

  const server = await startLoopbackUpstream(async ({ request, res, fault }) => {
    if (fault?.status) return sendJson(res, fault.status, { type: 'error', error: { type: 'api_error', message: fault.message ?? `injected failure ${fault.status}` } });
    if ((options.apiKey && request.headers['x-api-key'] !== options.apiKey) || !request.headers['anthropic-version']) {
      return sendJson(res, 401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
    }
    const { method, path } = request;
    if (method === 'POST' && path === '/v1/messages/batches') {
      const requests = (request.body as { requests?: unknown } | null)?.requests;
      if (!Array.isArray(requests) || requests.length === 0) {
        return sendJson(res, 400, { type: 'error', error: { type: 'invalid_request_error', message: 'requests: at least one request is required' } });
      }
      const id = `msgbatch_${String(next++).padStart(4, '0')}`;
      batches.push({ id, requests: requests as SubmittedMessageBatch['requests'] });
      polls.set(id, 0);
      return sendJson(res, 200, batchObject(id, 'in_progress', requests.length, null));
    }
    const results = /^\/v1\/messages\/batches\/([^/]+)\/results$/.exec(path);
    const batch = batches.find((b) => b.id === (results?.[1] ?? /^\/v1\/messages\/batches\/([^/]+)$/.exec(path)?.[1]));
    if (method === 'GET' && batch && results) {
      const text = batch.requests.map((r, i) => JSON.stringify({ custom_id: r.custom_id, result: result(r.params, `${batch.id}_${i}`) })).join('\n') + '\n';
      res.writeHead(200, { 'content-type': 'application/binary', 'content-length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }
    if (method === 'GET' && batch) {
      const seen = polls.get(batch.id)! + 1;
      polls.set(batch.id, seen);
      const ended = seen > (options.pollsBeforeDone ?? 1);
      return sendJson(res, 200, batchObject(batch.id, ended ? 'ended' : 'in_progress', batch.requests.length, ended ? `${base}/v1/messages/batches/${batch.id}/results` : null));
    }
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: `${method} ${path}` } });
  }, '');
  base = server.url;
  return { ...server, batches };
}

function batchObject(id: string, status: 'in_progress' | 'ended', total: number, resultsUrl: string | null): Json {
  const ended = status === 'ended';
  return {
    id,
    type: 'message_batch',
    processing_status: status,
    request_counts: { processing: ended ? 0 : total, succeeded: ended ? total : 0, errored: 0, canceled: 0, expired: 0 },
    ended_at: ended ? new Date().toISOString() : null,
    created_at: new Date().toISOString(),
    expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    cancel_initiated_at: null,
    archived_at: null,
    results_url: resultsUrl,
  };
}

function result(params: Json, id: string): Json {
  const answer = message(params, id);
  if (!String((answer.content as { text: string }[])[0]!.text).includes('FAIL')) return { type: 'succeeded', message: answer };
  return { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: 'messages: the request was refused (injected)' } } };
}

function message(params: Json, id: string): Json {
  const messages = (params.messages ?? []) as { role?: string; content?: unknown }[];
  const last = [...messages].reverse().find((m) => m.role === 'user');
  const content = typeof last?.content === 'string' ? last.content : Array.isArray(last?.content) ? last.content.map((b: { text?: unknown }) => (typeof b.text === 'string' ? b.text : '')).join('') : '';
  const text = `echo ${String(params.model)}: ${content}`;
  return {
    id: `msg_${id}`,
    type: 'message',
    role: 'assistant',
    model: params.model,
    content: [{ type: 'text', text }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10 * messages.length, output_tokens: text.split(/\s+/).filter(Boolean).length, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
  };
}
