import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import { providersConfigFromEnv } from '../../server/providers/providers-config.js';
import { createProviderRegistry } from '../../server/providers/registry.js';
import { startOpenAIUpstream } from '../support/openai-upstream.js';

describe('createProviderRegistry', () => {
  it('answers with the simulator when no provider is configured', () => {
    const registry = createProviderRegistry(providersConfigFromEnv({}));
    expect(registry.resolve('gpt-4o', 'auto', DEFAULT_PRICING).name).toBe('simulator');
    expect(registry.resolve('claude-sonnet-4-20250514', 'anthropic', DEFAULT_PRICING).name).toBe('simulator');
    expect(registry.isConfigured('openai')).toBe(false);
  });

  it('picks the provider the pricing table names for auto, and openai for unpriced models', () => {
    const registry = createProviderRegistry(providersConfigFromEnv({ OPENAI_API_KEY: 'k1', ANTHROPIC_API_KEY: 'k2' }));
    expect(registry.resolve('claude-sonnet-4-20250514', 'auto', DEFAULT_PRICING).name).toBe('anthropic');
    expect(registry.resolve('gpt-4o-mini', 'auto', DEFAULT_PRICING).name).toBe('openai');
    expect(registry.resolve('llama-3-70b', 'auto', DEFAULT_PRICING).name).toBe('openai');
  });

  it('honours an explicit provider choice and keeps one instance per provider', () => {
    const registry = createProviderRegistry(providersConfigFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }));
    const first = registry.resolve('claude-sonnet-4-20250514', 'openai', DEFAULT_PRICING);
    expect(first.name).toBe('openai');
    expect(registry.resolve('gpt-4o', 'auto', DEFAULT_PRICING)).toBe(first);
    expect(registry.resolve('gpt-4o', 'simulator', DEFAULT_PRICING).name).toBe('simulator');
  });

  it('calls the configured base URL and closes its pools', async () => {
    const upstream = await startOpenAIUpstream();
    const registry = createProviderRegistry(providersConfigFromEnv({ OPENAI_BASE_URL: upstream.url }));
    const provider = registry.resolve('gpt-4o-mini', 'auto', DEFAULT_PRICING);
    const { body } = await provider.complete({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }, { model: 'gpt-4o-mini', timeoutMs: 2000 });
    expect(body).toMatchObject({ model: 'gpt-4o-mini' });
    await registry.close();
    await upstream.close();
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('providersConfigFromEnv', () => {
  it('reads endpoints, keys and simulator settings', () => {
    const config = providersConfigFromEnv({
      OPENAI_BASE_URL: 'http://127.0.0.1:1234/v1',
      OPENAI_API_KEY: 'sk-1',
      ANTHROPIC_API_KEY: 'sk-ant',
      GEMINI_API_KEY: 'gm-1',
      TOLLGATE_SIM_LATENCY_MS: '250',
      TOLLGATE_SIM_FAIL_MODELS: 'gpt-4o=503, claude-x=429',
    });
    expect(config).toEqual({
      openai: { baseUrl: 'http://127.0.0.1:1234/v1', apiKey: 'sk-1' },
      anthropic: { apiKey: 'sk-ant' },
      gemini: { apiKey: 'gm-1' },
      simulator: { latencyMs: 250, chunkDelayMs: 0, failModels: { 'gpt-4o': 503, 'claude-x': 429 } },
      named: [],
    });
  });

  it('treats empty variables as unset', () => {
    expect(providersConfigFromEnv({ OPENAI_API_KEY: '', OPENAI_BASE_URL: ' ' }).openai).toEqual({});
  });

  it('names the variable, never its value, when a setting is invalid', () => {
    expect(() => providersConfigFromEnv({ OPENAI_BASE_URL: 'not a url' })).toThrow(/OPENAI_BASE_URL/);
    expect(() => providersConfigFromEnv({ TOLLGATE_SIM_FAIL_MODELS: 'gpt-4o=200' })).toThrow(/TOLLGATE_SIM_FAIL_MODELS/);
    expect(() => providersConfigFromEnv({ OPENAI_BASE_URL: 'secret-looking-value' })).not.toThrow(/secret-looking-value/);
  });
});
