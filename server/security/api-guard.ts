import type { RequestHandler } from 'express';
import { ApiHttpError } from '../api/api-error.js';
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
        throw new ApiHttpError(401, 'This API needs the admin token: send Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>', 'unauthorized', 'authorization');
      }
      const needed = requiredRole(req.method, req.path);
      if (!grants(role, needed)) throw new ApiHttpError(403, `${req.method} ${req.baseUrl}${req.path} needs the ${needed} role; this token is ${role}`, 'forbidden', 'authorization');
    }
    if (!STATE_CHANGING.has(req.method)) return next();
    if (isForeignOrigin(req.headers.origin, req.headers.host)) {
      throw new ApiHttpError(403, `Origin ${req.headers.origin} is not this server (${req.headers.host}); state changes come from the editor it serves`, 'foreign_origin', 'origin');
    }
    const type = req.headers['content-type'];
    const hasBody = type !== undefined || req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    // A DELETE has no body; a POST/PUT/PATCH always claims JSON, even an empty one, so a form cannot pass as it.
    if ((hasBody || req.method !== 'DELETE') && mediaType(type) !== 'application/json') {
      throw new ApiHttpError(415, `State changes take content-type application/json, not ${type ?? 'none'}`, 'unsupported_media_type', 'content-type');
    }
    next();
  };
}

function mediaType(header: string | undefined): string | null {
  return header ? header.split(';')[0]!.trim().toLowerCase() : null;
}
