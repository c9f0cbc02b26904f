import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import bytes from 'bytes';
import type { Logger } from '../log.js';
import type { ChatDeps } from '../runtime/chat-deps.js';
import { MessagesRequestSchema } from '../../shared/messages-api.js';
import { ResponsesRequestSchema } from '../../shared/responses-api.js';
import { errorSurfaceOf } from '../errors/error-surface.js';
import { parseBody } from '../errors/parse-body.js';
import { messagesToChat } from '../messages/messages-to-chat.js';
import { MESSAGES_PATH } from '../messages/messages-path.js';
import { MESSAGES_WIRE } from '../messages/messages-wire.js';
import { responsesToChat } from '../responses/responses-to-chat.js';
import { responsesWire } from '../responses/responses-wire.js';
import { openTurn } from '../responses/conversation.js';
import type { ResponseStore } from '../responses/response-store.js';
import { handleChat } from '../runtime/handle-chat.js';
import { handleEmbeddings } from '../embeddings/handle-embeddings.js';
import { header, sendJson } from '../runtime/json-response.js';
import { callerContext } from './caller-context.js';
import type { CallerContext } from '../facts/request-facts.js';
import { toHttpError } from './error-handler.js';
import { readJsonBody } from './read-json-body.js';

const CHAT_PATH = '/v1/chat/completions';
const RESPONSES_PATH = '/v1/responses';
const EMBEDDINGS_PATH = '/v1/embeddings';
const LANE_PATHS = [CHAT_PATH, RESPONSES_PATH, MESSAGES_PATH, EMBEDDINGS_PATH];

export interface ChatLaneOptions {
  chat: ChatDeps;
  /** Every other route. */
  app: RequestListener;
  bodyLimit: string;
  log: Logger;
  /** Kept Responses API responses. */
  responses: ResponseStore;
}

/**
 * The hot path skips Express: chat completions (and Responses and Messages API calls, which go
 * through the same pipeline, and embeddings) are read, parsed once and answered with plain Node calls (Express's
 * router and body parser cost about a seventh of the CPU per request). Every other route goes to
 * the Express app.
 */
export function withChatLane({ chat, app, bodyLimit, log, responses }: ChatLaneOptions): RequestListener {
  const limitBytes = bytes.parse(bodyLimit) ?? 4 * 1024 * 1024;
  return (req, res) => {
    const path = req.method === 'POST' ? LANE_PATHS.find((p) => isPath(req.url, p)) : undefined;
    if (path) void serveChat({ chat, log, limitBytes, path, responses }, req, res);
    else app(req, res);
  };
}

/** The path as Express would match it: query string ignored, one trailing slash allowed. */
function isPath(url: string | undefined, path: string): boolean {
  if (!url?.startsWith(path)) return false;
  const rest = url.slice(path.length);
  return rest === '' || rest === '/' || rest.startsWith('?') || rest.startsWith('/?');
}

async function serveChat(lane: { chat: ChatDeps; log: Logger; limitBytes: number; path: string; responses: ResponseStore }, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const body = await readJsonBody(req, lane.limitBytes);
    // Read once: a Responses call needs the caller before the pipeline does.
    let caller: CallerContext | undefined;
    const call = { policyHeader: header(req, 'x-tollgate-policy'), deferHeader: header(req, 'x-tollgate-defer'), caller: () => (caller ??= callerContext(req)), res };
    if (lane.path === CHAT_PATH) await handleChat(lane.chat, { ...call, body });
    else if (lane.path === EMBEDDINGS_PATH) await handleEmbeddings(lane.chat, { ...call, body });
    else if (lane.path === MESSAGES_PATH) {
      const request = parseBody(MessagesRequestSchema, body, { surface: 'v1' });
      await handleChat(lane.chat, { ...call, body: messagesToChat(request), wire: MESSAGES_WIRE });
    } else {
      const request = parseBody(ResponsesRequestSchema, body, { surface: 'v1' });
      const turn = await openTurn(lane.responses, request, { owner: call.caller().serviceKey, jobs: (id) => lane.chat.batch.get(id) });
      const deferHeader = request.background ? 'batch' : call.deferHeader;
      await handleChat(lane.chat, { ...call, deferHeader, body: responsesToChat(turn.request), wire: responsesWire(request, turn) });
    }
  } catch (error) {
    const http = toHttpError(error, { log: lane.log, method: req.method, path: lane.path });
    if (res.headersSent) res.end();
    else sendJson(res, { status: http.status, body: http.toBody(errorSurfaceOf(lane.path)) });
  }
}
