import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors/http-error.js';

/**
 * Reads and parses a JSON body once, refusing it early when Content-Length says it is too
 * large and as soon as it grows past the limit otherwise.
 */
export function readJsonBody(req: IncomingMessage, limitBytes: number): Promise<unknown> {
  const tooLarge = () => new HttpError({ status: 413, message: `The body is larger than the limit of ${limitBytes} bytes`, field: 'body', code: 'body_too_large' });
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding !== 'identity') {
    return Promise.reject(new HttpError({
        status: 415,
        message: `Content-Encoding "${encoding}" is not supported; send the body uncompressed`,
        field: 'content-encoding',
        code: 'unsupported_encoding',
      }));
  }
  if (Number(req.headers['content-length'] ?? 0) > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => reject(new HttpError({ status: 400, message: 'The request was aborted while its body was read', field: 'body', code: 'aborted' })));
    req.on('end', () => {
      if (size > limitBytes) return;
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError({ status: 400, message: `The body is not valid JSON: ${(error as Error).message}`, field: 'body', code: 'invalid_json' }));
      }
    });
  });
}
