import type { IncomingMessage } from 'node:http';
import { HttpError } from '../errors/http-error.js';
import { bindServiceKey } from './key-binding.js';
import type { KeyStore } from './key-store.js';
import { presentedKey } from './presented-key.js';

export interface ServiceKeyRules {
  keys: KeyStore;
  /** TOLLGATE_REQUIRE_KEYS: keys are required even before the first one is issued. */
  requireKeys: boolean;
}

/**
 * Checks a /v1 request's key (bearer, or x-api-key from Anthropic's SDKs), synchronously. Once
 * keys are in force an unknown, revoked or missing key is a 401; a valid one is bound to the
 * request (tags, id, policy). A key that names a policy pins it: the caller's x-tollgate-policy
 * header may only repeat it.
 */
export function authenticateServiceKey(req: IncomingMessage, rules: ServiceKeyRules): HttpError | null {
  if (!rules.requireKeys && !rules.keys.anyIssued) return null;
  const token = presentedKey(req);
  if (!token) return new HttpError({ status: 401, message: 'This gateway needs a service key: send Authorization: Bearer <key> (or x-api-key: <key>)', code: 'invalid_api_key' });
  const key = rules.keys.verify(token);
  if (!key) return new HttpError({ status: 401, message: 'Incorrect, revoked or unknown service key', code: 'invalid_api_key' });
  if (key.policy) {
    const asked = req.headers['x-tollgate-policy'];
    const askedId = typeof asked === 'string' ? asked.trim() : '';
    if (askedId && askedId !== key.policy) {
      return new HttpError({ status: 403, message: `This service key may only use policy "${key.policy}", not "${askedId}"`, field: 'x-tollgate-policy', code: 'policy_not_allowed' });
    }
    // The runtime picks the policy from this header; the key's choice is written there so every path sees it.
    req.headers['x-tollgate-policy'] = key.policy;
  }
  bindServiceKey(req, key);
  return null;
}
