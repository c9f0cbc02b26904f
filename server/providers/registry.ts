import type { PricingTable } from '../../shared/pricing.js';
import type { ProviderName, RouteProvider } from '../../shared/providers.js';
import { AnthropicProvider, DEFAULT_ANTHROPIC_BASE_URL } from './anthropic-provider.js';
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
   * nor base URL is served by the simulator only while the simulator is on (see
   * `simulatorEnabled`); otherwise every call to it fails as not configured.
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

const SETTINGS: Record<ProviderName, string> = {
  openai: 'OPENAI_API_KEY (or OPENAI_BASE_URL)',
  anthropic: 'ANTHROPIC_API_KEY (or ANTHROPIC_BASE_URL)',
  simulator: 'TOLLGATE_SIMULATOR=1 (the simulator is off once a real provider is configured)',
};

/**
 * The simulator answers when no real provider is configured at all (a demo or a test run) or
 * when TOLLGATE_SIMULATOR=1 asks for it; `TOLLGATE_SIMULATOR=0` turns it off even then.
 */
export function simulatorEnabled(config: ProvidersConfig): boolean {
  if (config.simulator.enabled !== undefined) return config.simulator.enabled;
  return !hasEndpoint(config.openai) && !hasEndpoint(config.anthropic);
}

/** The configured provider keys, for redaction; never logged or returned. */
export function providerSecrets(config: ProvidersConfig): string[] {
  return [config.openai.apiKey, config.anthropic.apiKey].filter((k): k is string => Boolean(k));
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
  let openaiClean: Provider | undefined;
  let anthropicClean: Provider | undefined;

  const isConfigured = (name: ProviderName): boolean => (name === 'simulator' ? simulatorOn : hasEndpoint(config[name]));
  const nameFor = (model: string, choice: RouteProvider, pricing: PricingTable): ProviderName =>
    choice === 'auto' ? (pricing.models[model]?.provider ?? 'openai') : choice;

  const instance = (name: ProviderName): Provider => {
    if (!isConfigured(name)) {
      if (simulatorOn) return simulator;
      let stand = unconfigured.get(name);
      if (!stand) unconfigured.set(name, (stand = new UnconfiguredProvider(name, SETTINGS[name])));
      return stand;
    }
    if (name === 'simulator') return simulator;
    if (name === 'openai') {
      openai ??= new OpenAIProvider({ baseUrl: config.openai.baseUrl ?? DEFAULT_OPENAI_BASE_URL, apiKey: config.openai.apiKey });
      openaiClean ??= withRedaction(openai, redact);
      return openaiClean;
    }
    anthropic ??= new AnthropicProvider({ baseUrl: config.anthropic.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL, apiKey: config.anthropic.apiKey });
    anthropicClean ??= withRedaction(anthropic, redact);
    return anthropicClean;
  };

  return {
    resolve: (model, choice, pricing) => instance(nameFor(model, choice, pricing)),
    isConfigured,
    missingSetting(model, choice, pricing) {
      const name = nameFor(model, choice, pricing);
      return isConfigured(name) || simulatorOn ? null : SETTINGS[name];
    },
    redact,
    async close() {
      await Promise.all([openai?.close(), anthropic?.close(), simulator.close()]);
    },
  };
}
