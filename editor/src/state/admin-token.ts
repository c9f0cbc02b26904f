/**
 * The admin token the editor sends to /api: asked for once when an API call answers 401, kept
 * in sessionStorage (gone when the tab closes), sent as a bearer header and never in a URL.
 */
const STORAGE_KEY = 'tollgate.adminToken';

/** Shows the token dialog; `refused` says the last token was wrong. Resolves to null on cancel. */
export type TokenPrompt = (refused: boolean) => Promise<string | null>;

let prompt: TokenPrompt | null = null;
let pending: Promise<string | null> | null = null;

export function storedAdminToken(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function setTokenPrompt(next: TokenPrompt | null): void {
  prompt = next;
}

/**
 * After a 401 made with `used` (null: none): the token to retry with, or null to give up. Calls
 * refused at the same moment share one dialog, and a call that raced a newer token just retries.
 */
export function tokenAfterRefusal(used: string | null): Promise<string | null> {
  const current = storedAdminToken();
  if (current && current !== used) return Promise.resolve(current);
  if (used) sessionStorage.removeItem(STORAGE_KEY);
  if (!prompt) return Promise.resolve(null);
  pending ??= prompt(used !== null).then((token) => {
    pending = null;
    const trimmed = token?.trim();
    if (!trimmed) return null;
    sessionStorage.setItem(STORAGE_KEY, trimmed);
    return trimmed;
  });
  return pending;
}
