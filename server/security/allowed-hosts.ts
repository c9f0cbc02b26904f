import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

/** The names a `Host` header may carry: loopback ones plus TOLLGATE_ALLOWED_HOSTS (comma list, ports ignored). */
export function allowedHostSet(list: string): Set<string> {
  const names = list
    .split(',')
    .map((name) => hostName(name.trim()))
    .filter((name): name is string => !!name);
  return new Set([...LOOPBACK_NAMES, ...names]);
}

/** `Example.com:8787` -> `example.com`, `[::1]:80` -> `[::1]`; null for an empty header. */
export function hostName(host: string | undefined): string | null {
  if (!host) return null;
  const lower = host.toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end > 0 ? lower.slice(0, end + 1) : null;
  }
  const colon = lower.indexOf(':');
  const name = colon === -1 ? lower : lower.slice(0, colon);
  return name || null;
}

/** Whether listening on this address keeps the server reachable from this machine only. */
export function isLoopbackAddress(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare === '::1') return true;
  return isIP(bare) === 4 && bare.startsWith('127.');
}
