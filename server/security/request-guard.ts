import type { RequestListener, ServerResponse } from 'node:http';
import { HttpError } from '../errors/http-error.js';
import { sendJson } from '../runtime/json-response.js';
import { authenticateServiceKey, type ServiceKeyRules } from '../keys/service-key-auth.js';
import { errorSurfaceOf } from '../errors/error-surface.js';
import { hostName } from './allowed-hosts.js';

export interface RequestGuardOptions extends ServiceKeyRules {
  allowedHosts: ReadonlySet<string>;
}

/**
 * The first thing every request meets, before the chat lane and Express: the `Host` must be an
 * allowed name (a DNS-rebinding page reaches a loopback port under its own name), and /v1 calls
 * carry a valid service key once keys are in force.
 */
export function guardRequests(options: RequestGuardOptions, next: RequestListener): RequestListener {
  return (req, res) => {
    const url = req.url ?? '/';
    const v1 = isV1(url);
    const name = hostName(req.headers.host);
    if (!name || !options.allowedHosts.has(name)) {
      const message = `Host ${req.headers.host ?? '(none)'} is not allowed; add it to TOLLGATE_ALLOWED_HOSTS`;
      const error = new HttpError({ status: 403, message, field: 'host', code: 'host_not_allowed' });
      if (v1) return refuseV1(res, error, url);
      return sendJson(res, { status: 403, body: error.toApi() });
    }
    if (v1) {
      const failure = authenticateServiceKey(req, options);
      if (failure) return refuseV1(res, failure, url);
    }
    next(req, res);
  };
}

/** Express matches mount paths case-insensitively, so `/V1/...` must be guarded too. */
function isV1(url: string): boolean {
  if (url.length < 3) return false;
  const head = url.slice(0, 4).toLowerCase();
  return head === '/v1' || head === '/v1/' || head === '/v1?';
}

/** In the error shape of the surface called: Anthropic's on /v1/messages, OpenAI's elsewhere. */
function refuseV1(res: ServerResponse, error: HttpError, url: string): void {
  const headers: Record<string, string> = error.status === 401 ? { 'www-authenticate': 'Bearer realm="tollgate"' } : {};
  sendJson(res, { status: error.status, body: error.toBody(errorSurfaceOf(url)), headers });
}
