import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { namedProviderPrices, namedProvidersFromEnv } from '../../server/providers/named-providers.js';
import { providersConfigFromEnv } from '../../server/providers/providers-config.js';
import { createProviderRegistry } from '../../server/providers/registry.js';
import { DEFAULT_PRICING, mergePricing } from '../../shared/pricing.js';

const groq = { name: 'groq', baseUrl: 'http://127.0.0.1:1/openai/v1', keyEnv: 'GROQ_API_KEY', prices: { 'llama-3.3-70b-versatile': { input: 0.59, output: 0.79 } } };
const ollama = { name: 'ollama', baseUrl: 'http://127.0.0.1:11434/v1', prices: { 'llama3.2': { input: 0, output: 0 } } };

describe('TOLLGATE_PROVIDERS', () => {
  it('reads named OpenAI-compatible providers inline, each key from the variable it names', () => {
    const named = namedProvidersFromEnv({ TOLLGATE_PROVIDERS: JSON.stringify([groq, ollama]), GROQ_API_KEY: 'gsk-secret' });
    expect(named).toEqual([
      { name: 'groq', baseUrl: groq.baseUrl, apiKey: 'gsk-secret', prices: groq.prices },
      { name: 'ollama', baseUrl: ollama.baseUrl, prices: ollama.prices },
    ]);
    expect(namedProviderPrices(named)).toEqual({
      'llama-3.3-70b-versatile': { provider: 'groq', input: 0.59, output: 0.79 },
      'llama3.2': { provider: 'ollama', input: 0, output: 0 },
    });
  });

  it('reads them from a file when the variable holds a path', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-providers-'));
    const file = path.join(dir, 'providers.json');
    await writeFile(file, JSON.stringify([ollama]));
    expect(namedProvidersFromEnv({ TOLLGATE_PROVIDERS: file }).map((p) => p.name)).toEqual(['ollama']);
    await rm(dir, { recursive: true, force: true });
  });

  it('names the entry and field that is wrong, never a key value', () => {
    const env = (list: unknown[], extra: Record<string, string> = {}) => ({ TOLLGATE_PROVIDERS: JSON.stringify(list), ...extra });
    expect(() => namedProvidersFromEnv(env([{ ...groq, name: 'acme' }]))).toThrow(/TOLLGATE_PROVIDERS\[0\]\.name/);
    expect(() => namedProvidersFromEnv(env([ollama, { ...ollama, baseUrl: 'nope' }]))).toThrow(/TOLLGATE_PROVIDERS\[1\]\.baseUrl/);
    expect(() => namedProvidersFromEnv(env([groq]))).toThrow(/TOLLGATE_PROVIDERS\[0\]\.keyEnv: GROQ_API_KEY is not set/);
    expect(() => namedProvidersFromEnv(env([ollama, ollama]))).toThrow(/\[1\]\.name: "ollama" is listed twice/);
    expect(() => namedProvidersFromEnv(env([{ ...groq, prices: { m: { input: -1, output: 1 } } }], { GROQ_API_KEY: 'gsk-secret' }))).toThrow(
      /TOLLGATE_PROVIDERS\[0\]\.prices\.m\.input/,
    );
    expect(() => namedProvidersFromEnv({ TOLLGATE_PROVIDERS: '[not json' })).toThrow(/TOLLGATE_PROVIDERS: not JSON/);
    expect(() => namedProvidersFromEnv(env([{ ...groq, baseUrl: 'gsk-secret' }], { GROQ_API_KEY: 'gsk-secret' }))).not.toThrow(/gsk-secret/);
  });

  it('resolves a named provider by explicit choice or by the pricing table, and names the setting an unlisted one needs (no silent simulator)', () => {
    const config = providersConfigFromEnv({ TOLLGATE_PROVIDERS: JSON.stringify([groq]), GROQ_API_KEY: 'gsk-secret' });
    const registry = createProviderRegistry(config);
    const pricing = mergePricing(DEFAULT_PRICING, { models: namedProviderPrices(config.named) });
    expect(registry.resolve('llama-3.3-70b-versatile', 'auto', pricing).name).toBe('groq');
    expect(registry.resolve('anything', 'groq', pricing).name).toBe('groq');
    expect(registry.isConfigured('groq')).toBe(true);
    expect(registry.isConfigured('together')).toBe(false);
    expect(registry.missingSetting('mixtral', 'together', pricing)).toBe('TOLLGATE_PROVIDERS (an entry named "together")');
    expect(registry.missingSetting('anything', 'groq', pricing)).toBeNull();
    expect(registry.isConfigured('simulator')).toBe(false);
  });
});
