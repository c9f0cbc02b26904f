import { MESSAGES_PATH } from '../messages/messages-path.js';

/** Which error shape a path answers in: the admin API's, Anthropic's under /v1/messages, OpenAI's on the rest of /v1. */
export type ErrorSurface = 'api' | 'messages' | 'v1';

export function errorSurfaceOf(path: string): ErrorSurface {
  if (path.startsWith('/api')) return 'api';
  // Express matches paths case-insensitively, so /V1/Messages is the Messages API too.
  return path.toLowerCase().startsWith(MESSAGES_PATH) ? 'messages' : 'v1';
}
