import type { RequestHandler } from 'express';
import { HttpError } from '../errors/http-error.js';
import type { AccessTokens } from './admin-token.js';
import { grants, requiredRole } from './api-roles.js';
import { isForeignOrigin } from './same-origin.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * In front of every /api route: the admin token and role (when tokens are set), then the CSRF rules for
 * state changes: a browser page elsewhere can send a form or a text/plain fetch without asking
 * first, but not an application/json one, and it cannot hide its Origin.
 */
export function apiGuard(tokens: AccessTokens | null): RequestHandler {
  return (req, res, next) => {
    if (tokens) {
      const role = tokens.roleOf(req.headers.authorization);
      if (!role) {
        res.setHeader('www-authenticate', 'Bearer realm="tollgate-admin"');
        throw new HttpError({ status: 401, message: 'This API needs the admin token: send Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>', code: 'unauthorized', field: 'authorization' });
      }
      const needed = requiredRole(req.method, req.path);
      if (!grants(role, needed)) throw new HttpError({ status: 403, message: `${req.method} ${req.baseUrl}${req.path} needs the ${needed} role; this token is ${role}`, code: 'forbidden', field: 'authorization' });
    }
    if (!STATE_CHANGING.has(req.method)) return next();
    if (isForeignOrigin(req.headers.origin, req.headers.host)) {
      throw new HttpError({ status: 403, message: `Origin ${req.headers.origin} is not this server (${req.headers.host}); state changes come from the editor it serves`, code: 'foreign_origin', field: 'origin' });
    }
    const type = req.headers['content-type'];
    const hasBody = type !== undefined || req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    // A DELETE has no body; a POST/PUT/PATCH always claims JSON, even an empty one, so a form cannot pass as it.
    if ((hasBody || req.method !== 'DELETE') && mediaType(type) !== 'application/json') {
      throw new HttpError({ status: 415, message: `State changes take content-type application/json, not ${type ?? 'none'}`, code: 'unsupported_media_type', field: 'content-type' });
    }
    next();
  };
}

function mediaType(header: string | undefined): string | null {
  return header ? header.split(';')[0]!.trim().toLowerCase() : null;
}
