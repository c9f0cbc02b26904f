/**
 * A browser names the page that sent a request in `Origin`; it is same-origin when its host and
 * port equal the `Host` the request was sent to. No `Origin` (curl, SDKs, servers) passes: CSRF
 * needs a browser, and browsers send it on every cross-origin state change. `null` (sandboxed
 * frames, file: pages) is foreign.
 */
export function isForeignOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return false;
  if (!host) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return true;
  }
  return parsed.host.toLowerCase() !== host.toLowerCase();
}
