/**
 * The id of an answer in another surface's shape (a Responses API response, an Anthropic message)
 * is its request's `x-tollgate-request-id` (a UUID) without dashes, after the surface's prefix, so
 * feedback and lookups can name either.
 */
export function responseIdOf(requestId: string): string {
  return `resp_${requestId.replaceAll('-', '')}`;
}

export function messageIdOf(requestId: string): string {
  return `msg_${requestId.replaceAll('-', '')}`;
}

/** The request id an answer's id stands for; other ids pass as they are. */
export function requestIdOf(id: string): string {
  const hex = /^(?:resp|msg)_([0-9a-f]{32})$/.exec(id)?.[1];
  return hex ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}` : id;
}
