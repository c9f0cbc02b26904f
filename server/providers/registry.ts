import type { PricingTable } from '../../shared/pricing.js';
import type { ProviderName, RouteProvider } from '../../shared/providers.js';
import { AnthropicProvider, DEFAULT_ANTHROPIC_BASE_URL } from './anthropic-provider.js';
import { DEFAULT_GEMINI_BASE_URL, GeminiProvider } from './gemini-provider.js';
import { DEFAULT_OPENAI_BASE_URL, OpenAIProvider } from './openai-provider.js';
import type { Provider } from './provider.js';
import type { ProvidersConfig } from './providers-config.js';
import { SimulatorProvider } from './simulator-provider.js';

export interface ProviderRegistry {
  /**
   * The provider that serves `model` for a route's provider choice. `auto` takes the provider the
   * pricing table names for the model (openai for unpriced models). A provider with neither key
   * nor base URL configured, or a named OpenAI-compatible provider TOLLGATE_PROVIDERS does not
   * list, is replaced by the simulator, whose name says so.
   */
  resolve(model: string, choice: RouteProvider, pricing: PricingTable): Provider;
  /** Whether a real upstream is configured for this provider (the simulator always is). */
  isConfigured(name: ProviderName): boolean;
  close(): Promise<void>;
}

/** One instance per provider, built on first use and kept: each owns a keep-alive pool. */
export function createProviderRegistry(config: ProvidersConfig): ProviderRegistry {
  const simulator = new SimulatorProvider(config.simulator);
  let openai: OpenAIProvider | undefined;
  let anthropic: AnthropicProvider | undefined;
  let gemini: GeminiProvider | undefined;
  const namedConfig = new Map(config.named.map((entry) => [entry.name as ProviderName, entry]));
  const named = new Map<ProviderName, OpenAIProvider>();

  const isConfigured = (name: ProviderName): boolean => {
    if (name === 'simulator') return true;
    if (name !== 'openai' && name !== 'anthropic' && name !== 'gemini') return namedConfig.has(name);
    const endpoint = config[name];
    return Boolean(endpoint.apiKey || endpoint.baseUrl);
  };

  const namedInstance = (name: ProviderName): Provider => {
    const entry = namedConfig.get(name)!;
    let provider = named.get(name);
    if (!provider) {
      provider = new OpenAIProvider({ baseUrl: entry.baseUrl, ...(entry.apiKey ? { apiKey: entry.apiKey } : {}), name });
      named.set(name, provider);
    }
    return provider;
  };

  const instance = (name: ProviderName): Provider => {
    if (name === 'simulator' || !isConfigured(name)) return simulator;
    if (namedConfig.has(name)) return namedInstance(name);
    if (name === 'openai') {
      openai ??= new OpenAIProvider({ baseUrl: config.openai.baseUrl ?? DEFAULT_OPENAI_BASE_URL, apiKey: config.openai.apiKey });
      return openai;
    }
    if (name === 'gemini') {
      gemini ??= new GeminiProvider({ baseUrl: config.gemini.baseUrl ?? DEFAULT_GEMINI_BASE_URL, apiKey: config.gemini.apiKey });
      return gemini;
    }
    anthropic ??= new AnthropicProvider({ baseUrl: config.anthropic.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL, apiKey: config.anthropic.apiKey });
    return anthropic;
  };

  return {
    resolve(model, choice, pricing) {
      const name = choice === 'auto' ? (pricing.models[model]?.provider ?? 'openai') : choice;
      return instance(name);
    },
    isConfigured,
    async close() {
      await Promise.all([openai?.close(), anthropic?.close(), gemini?.close(), ...[...named.values()].map((p) => p.close()), simulator.close()]);
    },
  };
}
