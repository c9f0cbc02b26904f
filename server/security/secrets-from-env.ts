import { namedProvidersFromEnv } from '../providers/named-providers.js';
import { providerKeysFromEnv } from '../providers/providers-config.js';

type Env = Record<string, string | undefined>;

const OWN_SECRETS = ['TOLLGATE_ADMIN_TOKEN', 'TOLLGATE_EDITOR_TOKEN', 'TOLLGATE_VIEWER_TOKEN', 'TOLLGATE_KEY_SECRET'] as const;

/** Every secret the logger must never print: provider keys and Tollgate's own tokens, wherever a message quotes them. */
export function secretsFromEnv(env: Env = process.env): string[] {
  const own = OWN_SECRETS.map((name) => env[name]?.trim()).filter((value): value is string => Boolean(value));
  return [...providerKeysFromEnv(env), ...namedKeys(env), ...own];
}

/** Keys of TOLLGATE_PROVIDERS entries; a broken list is reported by the provider setup, not here. */
function namedKeys(env: Env): string[] {
  try {
    return namedProvidersFromEnv(env).flatMap((entry) => (entry.apiKey ? [entry.apiKey] : []));
  } catch {
    return [];
  }
}
