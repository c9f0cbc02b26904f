import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bytes from 'bytes';
import type { Logger } from '../log.js';
import type { ChatDeps } from '../runtime/chat-deps.js';
import { handleChat } from '../runtime/handle-chat.js';
import { header, sendJson } from '../runtime/json-response.js';
import { callerContext } from './caller-context.js';
import { toHttpError } from './error-handler.js';
import { readJsonBody } from './read-json-body.js';

const CHAT_PATH = '/v1/chat/completions';

export interface ChatLaneOptions {
  chat: ChatDeps;
  /** Every other route. */
  app: RequestListener;
  bodyLimit: string;
  log: Logger;
}

/**
 * The hot path skips Express: chat completions are read, parsed once and answered with plain
 * Node calls (Express's router and body parser cost about a seventh of the CPU per request).
 * Every other route goes to the Express app.
 */
export function withChatLane({ chat, app, bodyLimit, log }: ChatLaneOptions): RequestListener {
  const limitBytes = bytes.parse(bodyLimit) ?? 4 * 1024 * 1024;
  return (req, res) => {
    if (req.method === 'POST' && isChatPath(req.url)) {
      void serveChat({ chat, log, limitBytes }, req, res);
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

async function serveChat(lane: { chat: ChatDeps; log: Logger; limitBytes: number }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readJsonBody(req, lane.limitBytes);
    await handleChat(lane.chat, { body, policyHeader: header(req, 'x-tollgate-policy'), deferHeader: header(req, 'x-tollgate-defer'), caller: () => callerContext(req), res });
  } catch (error) {
    const http = toHttpError(error, { log: lane.log, method: req.method, path: CHAT_PATH });
    if (res.headersSent) res.end();
    else sendJson(res, { status: http.status, body: http.toOpenAI() });
  }
}
