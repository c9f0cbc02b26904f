/**
 * The machinery shared by the fake provider servers (openai-upstream.ts, anthropic-upstream.ts):
 * a real node:http server on 127.0.0.1, port 0, that records every request and applies
 * injected faults. Import the provider-specific starters in tests, not this file.
 *
 * Faults (`setFault`) apply to every following request until cleared, or to the next `times`
 * requests only:
 *   { status: 500 }                      answer with that status and the provider's error body
 *   { status: 401, message: "..." }      ... with that error message
 *   { status: 429, retryAfter: '1' }     ... plus a Retry-After header (seconds or an HTTP date)
 *   { hangMs: 5000 }                     wait before sending headers (timeouts); then answer normally
 *   { holdUntil: promise }               wait until the test resolves it (no race with the clock); then answer normally
 *   { hangAfterHeadersMs: 5000 }         streams: headers at once, first event only after the wait;
 *                                        non-stream: headers and half the body at once, the rest after the wait
 *   { reset: true }                      destroy the socket before answering (network error)
 *   { cutAfterChunks: 2 }                streams: destroy the socket after n events;
 *                                        non-stream: after the first half of the body
 *   { omitEnd: true }                    streams: end cleanly but without [DONE] / message_stop
 *   { errorEventAfterChunks: 1 }         streams: send the provider's in-stream error event after n events, then end
 *                                        (with `message`, the event carries that message)
 *   { malformed: true }                  answer 200 with a body that is not JSON
 *   { times: 2, ...fault }               only the next 2 requests fail, then the server recovers
 */
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export interface UpstreamFault {
  status?: number;
  retryAfter?: string;
  message?: string;
  hangMs?: number;
  holdUntil?: Promise<void>;
  hangAfterHeadersMs?: number;
  reset?: boolean;
  cutAfterChunks?: number;
  omitEnd?: boolean;
  errorEventAfterChunks?: number;
  malformed?: boolean;
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The client's port: equal for two requests when they shared a keep-alive connection. */
  remotePort: number;
  /** The parsed JSON body, the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

export interface UpstreamServer {
  /** The base URL a provider is configured with (OpenAI's ends in /v1, Anthropic's does not). */
  url: string;
  requests: RecordedRequest[];
  setFault(fault: UpstreamFault | null): void;
  close(): Promise<void>;
}

export interface Exchange {
  request: RecordedRequest;
  res: ServerResponse;
  fault: UpstreamFault | null;
  /** Aborts when the server closes, so hanging handlers stop. */
  signal: AbortSignal;
}

export type Handler = (exchange: Exchange) => Promise<void>;

export async function startLoopbackUpstream(handler: Handler, urlSuffix: string): Promise<UpstreamServer> {
  const requests: RecordedRequest[] = [];
  const closing = new AbortController();
  let fault: UpstreamFault | null = null;

  const takeFault = (): UpstreamFault | null => {
    const current = fault;
    if (current?.times !== undefined) {
      const left = current.times - 1;
      fault = left > 0 ? { ...current, times: left } : null;
    }
    return current;
  };

  const server = http.createServer((req, res) => {
    void serve(req, res).catch(() => res.destroy());
  });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      remotePort: req.socket.remotePort ?? 0,
      body: parseBody(await readBody(req)),
    };
    requests.push(request);
    const current = takeFault();
    if (current?.reset) {
      req.socket.destroy();
      return;
    }
    if (current?.hangMs) {
      const gone = new AbortController();
      res.on('close', () => gone.abort());
      const stop = AbortSignal.any([closing.signal, gone.signal]);
      if (!(await pause(current.hangMs, stop))) return;
    }
    if (current?.holdUntil) await current.holdUntil;
    await handler({ request, res, fault: current, signal: closing.signal });
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${urlSuffix}`,
    requests,
    setFault: (next) => {
      fault = next;
    },
    close: async () => {
      closing.abort();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits, unless the signal aborts first; true when the full wait passed. */
export async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A 200 JSON answer honouring the `cutAfterChunks` (half a body, then a reset), `hangAfterHeadersMs` (half a body, then a pause) and `malformed` faults. */
export function sendAnswer(res: ServerResponse, body: unknown, fault: UpstreamFault | null): void {
  if (fault?.malformed) {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id": "broken", "choices": [');
    return;
  }
  if (fault?.cutAfterChunks !== undefined) {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.write(text.slice(0, Math.floor(text.length / 2)), () => res.socket?.destroy());
    return;
  }
  if (fault?.hangAfterHeadersMs) {
    const text = JSON.stringify(body);
    const half = Math.floor(text.length / 2);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.write(text.slice(0, half));
    const rest = setTimeout(() => res.end(text.slice(half)), fault.hangAfterHeadersMs);
    res.once('close', () => clearTimeout(rest));
    return;
  }
  sendJson(res, 200, body);
}

/**
 * Writes SSE frames one by one, applying the stream faults: a pause before the first frame, a
 * socket reset after n frames, an in-stream error event after n frames, or no end marker.
 */
export class SseWriter {
  private sent = 0;

  constructor(
    private readonly exchange: Exchange,
    private readonly errorFrame: string,
  ) {}

  async open(): Promise<boolean> {
    const { res, fault, signal } = this.exchange;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    if (fault?.hangAfterHeadersMs) {
      res.flushHeaders();
      return pause(fault.hangAfterHeadersMs, signal);
    }
    return true;
  }

  /** Sends one frame; false when a fault ended the stream (stop writing). */
  async send(frame: string): Promise<boolean> {
    const { res, fault } = this.exchange;
    if (res.destroyed) return false;
    if (fault?.errorEventAfterChunks !== undefined && this.sent === fault.errorEventAfterChunks) {
      res.end(this.errorFrame);
      return false;
    }
    if (fault?.cutAfterChunks !== undefined && this.sent === fault.cutAfterChunks) {
      res.socket?.destroy();
      return false;
    }
    this.sent++;
    await new Promise<void>((resolve) => res.write(frame, () => resolve()));
    return true;
  }

  /** Ends the stream with its end marker, unless the `omitEnd` fault says otherwise. */
  end(finalFrame: string): void {
    const { res, fault } = this.exchange;
    if (res.destroyed) return;
    res.end(fault?.omitEnd ? undefined : finalFrame);
  }
}
