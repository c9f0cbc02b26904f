import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICING } from '../../shared/pricing.js';
import { providersConfigFromEnv } from '../../server/providers/providers-config.js';
import { createProviderRegistry } from '../../server/providers/registry.js';
import { ProviderError } from '../../server/providers/provider.js';
import { startOpenAIUpstream } from '../support/openai-upstream.js';
import { rejectionOf } from '../support/rejection.js';

const hello = { model: 'gpt-4o', messages: [{ role: 'user' as const, content: 'hi' }] };

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
  });

  it('keeps the simulator out once a real provider is configured: unconfigured ones fail naming their variable', async () => {
    const registry = createProviderRegistry(providersConfigFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }));
    expect(registry.isConfigured('simulator')).toBe(false);
    const claude = registry.resolve('claude-sonnet-4-20250514', 'auto', DEFAULT_PRICING);
    expect(claude.name).toBe('anthropic');
    const error = await rejectionOf(claude.complete(hello, { model: 'claude-sonnet-4-20250514', timeoutMs: 1000 }), ProviderError);
    expect(error).toMatchObject({ kind: 'not-configured', retryable: false });
    expect(error.message).toContain('ANTHROPIC_API_KEY');
    expect(registry.missingSetting('claude-sonnet-4-20250514', 'auto', DEFAULT_PRICING)).toContain('ANTHROPIC_API_KEY');
    expect(registry.missingSetting('gpt-4o', 'auto', DEFAULT_PRICING)).toBeNull();
    const simulated = await rejectionOf(registry.resolve('gpt-4o', 'simulator', DEFAULT_PRICING).stream(hello, { model: 'gpt-4o', timeoutMs: 1000 }), ProviderError);
    expect(simulated.message).toContain('TOLLGATE_SIMULATOR=1');
  });

  it('counts Gemini as a real provider: its key alone turns the simulator off, and a missing one is named', () => {
    const onlyGemini = createProviderRegistry(providersConfigFromEnv({ GEMINI_API_KEY: 'gm-key' }));
    expect(onlyGemini.isConfigured('simulator')).toBe(false);
    expect(onlyGemini.missingSetting('gemini-2.5-flash', 'auto', DEFAULT_PRICING)).toBeNull();
    expect(onlyGemini.missingSetting('gpt-4o', 'auto', DEFAULT_PRICING)).toContain('OPENAI_API_KEY');
    const noGemini = createProviderRegistry(providersConfigFromEnv({ OPENAI_API_KEY: 'k1' }));
    expect(noGemini.resolve('gemini-2.5-flash', 'auto', DEFAULT_PRICING).name).toBe('gemini');
    expect(noGemini.missingSetting('gemini-2.5-flash', 'auto', DEFAULT_PRICING)).toContain('GEMINI_API_KEY');
    expect(createProviderRegistry(providersConfigFromEnv({ GEMINI_API_KEY: 'gm-key-1234567' })).redact('bad key gm-key-1234567')).toBe('bad key [redacted]');
  });

  it('TOLLGATE_SIMULATOR=1 brings the simulator back for unconfigured providers; 0 turns it off entirely', () => {
    const on = createProviderRegistry(providersConfigFromEnv({ OPENAI_API_KEY: 'k1', TOLLGATE_SIMULATOR: '1' }));
    expect(on.resolve('claude-sonnet-4-20250514', 'anthropic', DEFAULT_PRICING).name).toBe('simulator');
    expect(on.missingSetting('claude-sonnet-4-20250514', 'anthropic', DEFAULT_PRICING)).toBeNull();
    const off = createProviderRegistry(providersConfigFromEnv({ TOLLGATE_SIMULATOR: '0' }));
    expect(off.missingSetting('gpt-4o', 'auto', DEFAULT_PRICING)).toContain('OPENAI_API_KEY');
    expect(() => providersConfigFromEnv({ TOLLGATE_SIMULATOR: 'maybe' })).toThrow(/TOLLGATE_SIMULATOR/);
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
