import { z } from 'zod';
import { NamedProviderSchema, namedProvidersFromEnv } from './named-providers.js';

const EndpointSchema = z.object({
  /** Unset means "not configured"; the provider then uses its public default URL if a key is set. */
  baseUrl: z.url().optional(),
  apiKey: z.string().min(1).optional(),
});

export const SimulatorConfigSchema = z.object({
  /** TOLLGATE_SIMULATOR: unset means on only while no real provider is configured (see registry.ts). */
  enabled: z.boolean().optional(),
  latencyMs: z.coerce.number().int().min(0).default(0),
  chunkDelayMs: z.coerce.number().int().min(0).default(0),
  failModels: z.record(z.string(), z.number().int().min(400).max(599)).default({}),
});

/** Provider endpoints and keys. Holds secrets: never log it whole (pino redacts `apiKey` fields). */
export const ProvidersConfigSchema = z.object({
  openai: EndpointSchema.default({}),
  anthropic: EndpointSchema.default({}),
  gemini: EndpointSchema.default({}),
  simulator: SimulatorConfigSchema.default({ latencyMs: 0, chunkDelayMs: 0, failModels: {} }),
  /** OpenAI-compatible providers by name (Groq, Together, vLLM...), from TOLLGATE_PROVIDERS. */
  named: z.array(NamedProviderSchema).default([]),
});
export type ProvidersConfig = z.infer<typeof ProvidersConfigSchema>;
export type ProvidersConfigInput = z.input<typeof ProvidersConfigSchema>;

type Env = Record<string, string | undefined>;

/**
 * Reads OPENAI_BASE_URL, OPENAI_API_KEY, ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY, GEMINI_BASE_URL, GEMINI_API_KEY,
 * TOLLGATE_SIMULATOR (1 or 0), TOLLGATE_SIM_LATENCY_MS, TOLLGATE_SIM_CHUNK_DELAY_MS and TOLLGATE_SIM_FAIL_MODELS
 * (`gpt-4o=503,claude-x=429`), and TOLLGATE_PROVIDERS (named-providers.ts). Errors name the
 * variable, never its value: it may be a key.
 */
export function providersConfigFromEnv(env: Env = process.env): ProvidersConfig {
  const result = ProvidersConfigSchema.safeParse({
    openai: endpoint(env.OPENAI_BASE_URL, env.OPENAI_API_KEY),
    anthropic: endpoint(env.ANTHROPIC_BASE_URL, env.ANTHROPIC_API_KEY),
    gemini: endpoint(env.GEMINI_BASE_URL, env.GEMINI_API_KEY),
    simulator: {
      ...simulatorSwitch(env.TOLLGATE_SIMULATOR),
      latencyMs: nonEmpty(env.TOLLGATE_SIM_LATENCY_MS) ?? 0,
      chunkDelayMs: nonEmpty(env.TOLLGATE_SIM_CHUNK_DELAY_MS) ?? 0,
      failModels: parseFailModels(env.TOLLGATE_SIM_FAIL_MODELS ?? ''),
    },
    named: namedProvidersFromEnv(env),
  });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new Error(`invalid provider setting ${ENV_NAMES[issue.path.slice(0, 2).join('.')] ?? issue.path.join('.')}: ${issue.message}`);
}

const ENV_NAMES: Record<string, string> = {
  'openai.baseUrl': 'OPENAI_BASE_URL',
  'openai.apiKey': 'OPENAI_API_KEY',
  'anthropic.baseUrl': 'ANTHROPIC_BASE_URL',
  'anthropic.apiKey': 'ANTHROPIC_API_KEY',
  'gemini.baseUrl': 'GEMINI_BASE_URL',
  'gemini.apiKey': 'GEMINI_API_KEY',
  'simulator.enabled': 'TOLLGATE_SIMULATOR',
  'simulator.latencyMs': 'TOLLGATE_SIM_LATENCY_MS',
  'simulator.chunkDelayMs': 'TOLLGATE_SIM_CHUNK_DELAY_MS',
  'simulator.failModels': 'TOLLGATE_SIM_FAIL_MODELS',
};

function endpoint(baseUrl: string | undefined, apiKey: string | undefined): { baseUrl?: string; apiKey?: string } {
  const out: { baseUrl?: string; apiKey?: string } = {};
  const url = nonEmpty(baseUrl);
  const key = nonEmpty(apiKey);
  if (url) out.baseUrl = url;
  if (key) out.apiKey = key;
  return out;
}

/** The provider keys as set in the environment, for redacting logs before the config is parsed. */
export function providerKeysFromEnv(env: Env = process.env): string[] {
  return [env.OPENAI_API_KEY, env.ANTHROPIC_API_KEY, env.GEMINI_API_KEY].map(nonEmpty).filter((k): k is string => k !== undefined);
}

/** `1`/`true`/`on` and `0`/`false`/`off`; anything else is passed on for the schema to refuse with the variable named. */
function simulatorSwitch(value: string | undefined): { enabled?: unknown } {
  const text = nonEmpty(value)?.toLowerCase();
  if (text === undefined) return {};
  if (['1', 'true', 'on'].includes(text)) return { enabled: true };
  if (['0', 'false', 'off'].includes(text)) return { enabled: false };
  return { enabled: text };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** `gpt-4o=503, claude-x=429` → {gpt-4o: 503, claude-x: 429}; a bad status fails the schema with its variable named. */
export function parseFailModels(spec: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of spec.split(',')) {
    const [model, status] = entry.split('=').map((s) => s.trim());
    if (!model) continue;
    out[model] = status ? Number(status) : 503;
  }
  return out;
}
