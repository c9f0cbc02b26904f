import type { ErrorRequestHandler, RequestHandler } from 'express';
import { HttpError } from '../errors/http-error.js';
import type { Logger } from '../log.js';
import { errorSurfaceOf } from '../errors/error-surface.js';

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

const bodyError = (status: number, message: string, code: string, field = 'body') => new HttpError({ status, message, code, field });

/** body-parser's own failures (bad JSON, too large, bad charset) as 4xx errors that say what to fix. */
function fromBodyParser(error: BodyParserError): HttpError | null {
  switch (error.type) {
    case 'entity.parse.failed':
      return bodyError(400, `The body is not valid JSON: ${error.message}`, 'invalid_json');
    case 'entity.too.large':
      return bodyError(413, `The body is larger than the limit of ${error.limit} bytes`, 'body_too_large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return bodyError(415, error.message, 'unsupported_encoding', 'content-type');
    case 'request.aborted':
      return bodyError(400, 'The request was aborted while its body was read', 'aborted');
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
  return new HttpError({ status: 400, message: 'The URL path has malformed percent-encoding', code: 'invalid_path', field: 'path' });
}

export interface ErrorContext {
  log: Logger;
  method?: string;
  path: string;
}

/** Turns anything thrown while serving into the answer's error: its own HttpError, a body parser's failure or a malformed path as a 4xx, anything else as a logged 500. */
export function toHttpError(error: unknown, where: ErrorContext): HttpError {
  if (error instanceof HttpError) return error;
  const parsed = error instanceof Error ? (fromBodyParser(error as BodyParserError) ?? fromBadPath(error)) : null;
  if (parsed) return parsed;
  where.log.error({ err: error, method: where.method, path: where.path }, 'unhandled error');
  return new HttpError({ status: 500, message: 'Internal error; the log has the details', code: 'internal_error', type: 'server_error' });
}

/**
 * The last handler: every error becomes an answer in the right shape (OpenAI's on /v1,
 * Anthropic's under /v1/messages, the API's on /api). Only a bug earns a 500, and it is logged
 * with the request it broke on.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const http = toHttpError(error, { log, method: req.method, path: req.path });
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(http.status).json(http.toBody(errorSurfaceOf(req.path)));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  const message = `No route for ${req.method} ${req.path}`;
  const api = errorSurfaceOf(req.path) === 'api';
  next(new HttpError({ status: 404, message, type: 'not_found_error', code: api ? 'not_found' : 'unknown_url' }));
};
