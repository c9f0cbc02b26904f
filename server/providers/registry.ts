import type { PricingTable } from '../../shared/pricing.js';
import { BUILTIN_PROVIDERS, type ProviderName, type RouteProvider } from '../../shared/providers.js';
import { AnthropicProvider, DEFAULT_ANTHROPIC_BASE_URL } from './anthropic-provider.js';
import { DEFAULT_GEMINI_BASE_URL, GeminiProvider } from './gemini-provider.js';
import { DEFAULT_OPENAI_BASE_URL, OpenAIProvider } from './openai-provider.js';
import type { Provider } from './provider.js';
import type { ProvidersConfig } from './providers-config.js';
import { createRedactor, type Redactor } from './redact-secrets.js';
import { withRedaction } from './redacting-provider.js';
import { SimulatorProvider } from './simulator-provider.js';
import { UnconfiguredProvider } from './unconfigured-provider.js';

export interface ProviderRegistry {
  /**
   * The provider that serves `model` for a route's provider choice. `auto` takes the provider the
   * pricing table names for the model (openai for unpriced models). A provider with neither key
   * nor base URL (or a named OpenAI-compatible provider TOLLGATE_PROVIDERS does not list) is
   * served by the simulator only while the simulator is on (see `simulatorEnabled`); otherwise
   * every call to it fails as not configured.
   */
  resolve(model: string, choice: RouteProvider, pricing: PricingTable): Provider;
  /** Whether a real upstream is configured for this provider; for the simulator, whether it is on. */
  isConfigured(name: ProviderName): boolean;
  /** The variable to set before a route to `model` can be served, or null when it can be. */
  missingSetting(model: string, choice: RouteProvider, pricing: PricingTable): string | null;
  /** Removes the configured provider keys and secret shapes from a text (see redact-secrets.ts). */
  redact: Redactor;
  close(): Promise<void>;
}

const SETTINGS: Record<BuiltinProvider, string> = {
  openai: 'OPENAI_API_KEY (or OPENAI_BASE_URL)',
  anthropic: 'ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL)',
  gemini: 'GEMINI_API_KEY (or GEMINI_BASE_URL)',
  simulator: 'TOLLGATE_SIMULATOR=1 (the simulator is off once a real provider is configured)',
};

type BuiltinProvider = (typeof BUILTIN_PROVIDERS)[number];
const isBuiltin = (name: ProviderName): name is BuiltinProvider => (BUILTIN_PROVIDERS as readonly string[]).includes(name);
const settingFor = (name: ProviderName): string => (isBuiltin(name) ? SETTINGS[name] : `TOLLGATE_PROVIDERS (an entry named "${name}")`);

/** The providers that reach a real upstream: configuring any one of them turns the simulator off. */
const REAL_PROVIDERS = ['openai', 'anthropic', 'gemini'] as const satisfies readonly ProviderName[];

/**
 * The simulator answers when no real provider is configured at all (a demo or a test run) or
 * when TOLLGATE_SIMULATOR=1 asks for it; `TOLLGATE_SIMULATOR=0` turns it off even then.
 */
export function simulatorEnabled(config: ProvidersConfig): boolean {
  if (config.simulator.enabled !== undefined) return config.simulator.enabled;
  return config.named.length === 0 && !REAL_PROVIDERS.some((name) => hasEndpoint(config[name]));
}

/** The configured provider keys, for redaction; never logged or returned. */
export function providerSecrets(config: ProvidersConfig): string[] {
  const keys = [...REAL_PROVIDERS.map((name) => config[name].apiKey), ...config.named.map((entry) => entry.apiKey)];
  return keys.filter((k): k is string => Boolean(k));
}

function hasEndpoint(endpoint: { apiKey?: string | undefined; baseUrl?: string | undefined }): boolean {
  return Boolean(endpoint.apiKey || endpoint.baseUrl);
}

/** One instance per provider, built on first use and kept: each owns a keep-alive pool. */
export function createProviderRegistry(config: ProvidersConfig): ProviderRegistry {
  const simulatorOn = simulatorEnabled(config);
  const simulator = new SimulatorProvider(config.simulator);
  const unconfigured = new Map<ProviderName, UnconfiguredProvider>();
  const redact = createRedactor(providerSecrets(config));
  let openai: OpenAIProvider | undefined;
  let anthropic: AnthropicProvider | undefined;
  let gemini: GeminiProvider | undefined;
  const namedConfig = new Map(config.named.map((entry) => [entry.name as ProviderName, entry]));
  const named = new Map<ProviderName, OpenAIProvider>();
  // Each real provider wrapped once, so every error it raises is redacted before anyone reads it.
  const clean = new Map<ProviderName, Provider>();

  const isConfigured = (name: ProviderName): boolean => {
    if (name === 'simulator') return simulatorOn;
    if (name === 'openai' || name === 'anthropic' || name === 'gemini') return hasEndpoint(config[name]);
    return namedConfig.has(name);
  };
  const nameFor = (model: string, choice: RouteProvider, pricing: PricingTable): ProviderName =>
    choice === 'auto' ? (pricing.models[model]?.provider ?? 'openai') : choice;

  const namedInstance = (name: ProviderName): OpenAIProvider => {
    const entry = namedConfig.get(name)!;
    let provider = named.get(name);
    if (!provider) {
      provider = new OpenAIProvider({ baseUrl: entry.baseUrl, ...(entry.apiKey ? { apiKey: entry.apiKey } : {}), name });
      named.set(name, provider);
    }
    return provider;
  };

  const real = (name: ProviderName): Provider => {
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

  const instance = (name: ProviderName): Provider => {
    if (!isConfigured(name)) {
      if (simulatorOn) return simulator;
      let stand = unconfigured.get(name);
      if (!stand) unconfigured.set(name, (stand = new UnconfiguredProvider(name, settingFor(name))));
      return stand;
    }
    if (name === 'simulator') return simulator;
    let wrapped = clean.get(name);
    if (!wrapped) clean.set(name, (wrapped = withRedaction(real(name), redact)));
    return wrapped;
  };

  return {
    resolve: (model, choice, pricing) => instance(nameFor(model, choice, pricing)),
    isConfigured,
    missingSetting(model, choice, pricing) {
      const name = nameFor(model, choice, pricing);
      return isConfigured(name) || simulatorOn ? null : settingFor(name);
    },
    redact,
    async close() {
      await Promise.all([openai?.close(), anthropic?.close(), gemini?.close(), ...[...named.values()].map((p) => p.close()), simulator.close()]);
    },
  };
}
