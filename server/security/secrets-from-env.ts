import { providerKeysFromEnv } from '../providers/providers-config.js';

type Env = Record<string, string | undefined>;

const OWN_SECRETS = ['TOLLGATE_ADMIN_TOKEN', 'TOLLGATE_EDITOR_TOKEN', 'TOLLGATE_VIEWER_TOKEN', 'TOLLGATE_KEY_SECRET'] as const;

/** Every secret the logger must never print: provider keys and Tollgate's own tokens, wherever a message quotes them. */
export function secretsFromEnv(env: Env = process.env): string[] {
  const own = OWN_SECRETS.map((name) => env[name]?.trim()).filter((value): value is string => Boolean(value));
  return [...providerKeysFromEnv(env), ...own];
}
