import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiHttpError } from '../api/api-error.js';
import type { Logger } from '../log.js';
import { HttpError } from './openai-error.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** body-parser's own failures (bad JSON, too large, bad charset) as 4xx errors that say what to fix. */
function fromBodyParser(error: BodyParserError): HttpError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return new HttpError(400, `The body is not valid JSON: ${error.message}`, 'invalid_request_error', 'body', 'invalid_json');
    case 'entity.too.large':
      return new HttpError(413, `The body is larger than the limit of ${error.limit} bytes`, 'invalid_request_error', 'body', 'body_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, error.message, 'invalid_request_error', 'content-type', 'unsupported_encoding');
    case 'request.aborted':
      return new HttpError(400, 'The request was aborted while its body was read', 'invalid_request_error', 'body', 'aborted');
    default:
      return null;
  }
}

/**
 * A path segment that is not valid percent-encoding (`%E0%A4%A`): the router's decodeURIComponent
 * throws a URIError while matching, before any handler runs. The caller's fault, so a 400.
 */
function fromBadPath(error: Error): HttpError | null {
  if (!(error instanceof URIError)) return null;
  return new HttpError(400, 'The URL path has malformed percent-encoding', 'invalid_request_error', 'path', 'invalid_path');
}

/**
 * Turns anything thrown while serving into the answer's error: its own HttpError, a body
 * parser's failure as a 4xx, anything else as a logged 500. `api` picks the /api shape.
 */
export function toHttpError(error: unknown, api: boolean, log: Logger, where: { method?: string; path: string }): HttpError | ApiHttpError {
  let http: HttpError | ApiHttpError | null = null;
  if (error instanceof HttpError || error instanceof ApiHttpError) http = error;
  else if (error instanceof Error) {
    const parsed = fromBodyParser(error as BodyParserError) ?? fromBadPath(error);
    if (parsed) http = api ? new ApiHttpError(parsed.status, parsed.message, parsed.code ?? 'bad_request', parsed.param ?? 'body') : parsed;
  }
  if (!http) {
    log.error({ err: error, method: where.method, path: where.path }, 'unhandled error');
    http = api ? new ApiHttpError(500, 'Internal error; the log has the details', 'internal_error') : new HttpError(500, 'Internal error; the log has the details', 'server_error');
  }
  if (api && http instanceof HttpError) http = new ApiHttpError(http.status, http.message, http.code ?? 'error', http.param ?? undefined);
  return http;
}

/**
 * The last handler: every error becomes an answer in the right shape (OpenAI's on /v1, the
 * API's on /api). Only a bug earns a 500, and it is logged with the request it broke on.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const http = toHttpError(error, req.path.startsWith('/api'), log, req);
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(http.status).json(http.toBody());
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  const message = `No route for ${req.method} ${req.path}`;
  next(req.path.startsWith('/api') ? new ApiHttpError(404, message, 'not_found') : new HttpError(404, message, 'not_found_error', null, 'unknown_url'));
};
