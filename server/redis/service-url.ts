/**
 * Checks a service URL from the environment before a client sees it: a typo should stop the start
 * with a sentence naming the variable, not become a client retrying for ever. The URL itself is not
 * repeated (it may hold a password).
 */
export function checkServiceUrl(variable: string, value: string, protocols: readonly string[]): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${variable} is not a URL; expected ${protocols.map((p) => `${p}//host:port`).join(' or ')}`);
  }
  if (!protocols.includes(parsed.protocol) || !parsed.hostname) {
    throw new Error(`${variable} must start with ${protocols.map((p) => `${p}//`).join(' or ')} and name a host (got a ${parsed.protocol} URL)`);
  }
  return value;
}
