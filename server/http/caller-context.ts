import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header } from '../runtime/json-response.js';
import type { CallerContext } from '../facts/request-facts.js';
import { parseTagHeader } from '../facts/tags.js';
import { HttpError } from '../errors/http-error.js';
import { boundServiceKey } from '../keys/key-binding.js';
import { presentedKey } from '../keys/presented-key.js';

const keyIds = new Map<string, string>();
const KEY_ID_CACHE = 1000;

/**
 * The caller's service key becomes a short id (`key_` + 12 hex of its sha256): rules, ledgers
 * and logs can name who called without ever holding the secret.
 */
export function serviceKeyId(token: string): string {
  if (!token) return 'anonymous';
  let id = keyIds.get(token);
  if (!id) {
    id = `key_${createHash('sha256').update(token).digest('hex').slice(0, 12)}`;
    if (keyIds.size >= KEY_ID_CACHE) keyIds.clear();
    keyIds.set(token, id);
  }
  return id;
}

export function callerContext(req: IncomingMessage): CallerContext {
  const { tags, invalid } = parseTagHeader(header(req, 'x-tollgate-tags'));
  if (invalid.length > 0) {
    throw new HttpError({
      status: 400,
      message: `x-tollgate-tags: "${invalid[0]}" is not key=value (keys are letters, digits and _; values up to 80 characters)`,
      field: 'x-tollgate-tags',
      code: 'invalid_header',
    });
  }
  // A key's own tags win over the header, and (through requestFacts) over body metadata: a caller cannot book as another team.
  const key = boundServiceKey(req);
  return {
    tags: key ? { ...tags, ...key.tags } : tags,
    ...(key ? { boundTags: key.tags } : {}),
    serviceKey: key ? key.id : serviceKeyId(presentedKey(req)),
    user: header(req, 'x-tollgate-user') ?? '',
    tier: header(req, 'x-tollgate-tier') ?? '',
  };
}
