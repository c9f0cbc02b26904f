import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bytes from 'bytes';
import type { Logger } from '../log.js';
import { handleChat } from '../runtime/handle-chat.js';
import type { Runtime } from '../runtime/runtime.js';
import { toHttpError } from './error-handler.js';
import { sendJson } from './json-response.js';
import { readJsonBody } from './read-json-body.js';

const CHAT_PATH = '/v1/chat/completions';

/**
 * The hot path skips Express: chat completions are read, parsed once and answered with plain
 * Node calls (Express's router and body parser cost about a seventh of the CPU per request).
 * Every other route goes to the Express app.
 */
export function withChatLane(rt: Runtime, app: RequestListener, bodyLimit: string, log: Logger): RequestListener {
  const limitBytes = bytes.parse(bodyLimit) ?? 4 * 1024 * 1024;
  return (req, res) => {
    if (req.method === 'POST' && isChatPath(req.url)) {
      void serveChat(rt, req, res, limitBytes, log);
      return;
    }
    app(req, res);
  };
}

/** The path as Express would match it: query string ignored, one trailing slash allowed. */
function isChatPath(url: string | undefined): boolean {
  if (!url?.startsWith(CHAT_PATH)) return false;
  const rest = url.slice(CHAT_PATH.length);
  return rest === '' || rest === '/' || rest.startsWith('?') || rest.startsWith('/?');
}

async function serveChat(rt: Runtime, req: IncomingMessage, res: ServerResponse, limitBytes: number, log: Logger): Promise<void> {
  try {
    const body = await readJsonBody(req, limitBytes);
    await handleChat(rt, req, body, res);
  } catch (error) {
    const http = toHttpError(error, false, log, { method: req.method, path: CHAT_PATH });
    if (res.headersSent) res.end();
    else sendJson(res, http.status, http.toBody());
  }
}
