import type { IncomingMessage } from 'node:http';

/**
 * The key a caller presents: `Authorization: Bearer <key>` as OpenAI's SDKs send it, or
 * `x-api-key: <key>` as Anthropic's do. '' for none.
 */
export function presentedKey(req: IncomingMessage): string {
  const authorization = req.headers.authorization;
  if (authorization && authorization.slice(0, 7).toLowerCase() === 'bearer ') return authorization.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : '';
}
