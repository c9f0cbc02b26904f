import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { PricingTable } from '../../shared/pricing.js';
import { ModelPriceSchema } from '../../shared/pricing.js';
import { OpenAICompatibleNameSchema } from '../../shared/providers.js';

/** One OpenAI-compatible provider as TOLLGATE_PROVIDERS lists it. The key is named, never written: it stays in the environment. */
export const NamedProviderEntrySchema = z.object({
  name: OpenAICompatibleNameSchema,
  /** Ending where `/chat/completions` is appended, like OPENAI_BASE_URL (`https://api.groq.com/openai/v1`). */
  baseUrl: z.url(),
  /** The environment variable holding the API key; none for a local server (vLLM, Ollama). */
  keyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name like GROQ_API_KEY')
    .optional(),
  /** Models this provider serves, USD per million tokens; they join the pricing table under this provider. */
  prices: z.record(z.string().min(1), ModelPriceSchema.omit({ provider: true })).default({}),
});

export const NamedProvidersSchema = z.array(NamedProviderEntrySchema).superRefine((entries, ctx) => {
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (seen.has(entry.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${entry.name}" is listed twice` });
    seen.add(entry.name);
  });
});

/** A named provider ready to call: its key read from the variable the entry names. */
export const NamedProviderSchema = NamedProviderEntrySchema.omit({ keyEnv: true }).extend({ apiKey: z.string().min(1).optional() });
export type NamedProvider = z.infer<typeof NamedProviderSchema>;

type Env = Record<string, string | undefined>;

/**
 * TOLLGATE_PROVIDERS: a JSON array of `{name, baseUrl, keyEnv?, prices}`, inline or as the path
 * of a JSON file. Errors name the entry and field, never a key's value.
 */
export function namedProvidersFromEnv(env: Env): NamedProvider[] {
  const raw = env.TOLLGATE_PROVIDERS?.trim();
  if (!raw) return [];
  const text = raw.startsWith('[') ? raw : readProvidersFile(raw);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error('invalid provider setting TOLLGATE_PROVIDERS: not JSON (a JSON array, or the path of a JSON file holding one)');
  }
  const parsed = NamedProvidersSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`invalid provider setting TOLLGATE_PROVIDERS${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  }
  return parsed.data.map(({ keyEnv, ...entry }, i) => {
    if (!keyEnv) return entry;
    const apiKey = env[keyEnv]?.trim();
    if (!apiKey) throw new Error(`invalid provider setting TOLLGATE_PROVIDERS[${i}].keyEnv: ${keyEnv} is not set`);
    return { ...entry, apiKey };
  });
}

function readProvidersFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new Error(`invalid provider setting TOLLGATE_PROVIDERS: cannot read the file ${file}`);
  }
}

/** The named providers' models as pricing-table rows, each under its provider. */
export function namedProviderPrices(providers: readonly NamedProvider[]): PricingTable['models'] {
  const models: PricingTable['models'] = {};
  for (const provider of providers) {
    for (const [model, price] of Object.entries(provider.prices)) models[model] = { ...price, provider: provider.name };
  }
  return models;
}
