import { z } from 'zod';

/** Providers with their own wire format (and the offline simulator). */
export const BUILTIN_PROVIDERS = ['openai', 'anthropic', 'gemini', 'simulator'] as const;

/**
 * Names a configured OpenAI-compatible provider may take (TOLLGATE_PROVIDERS): each has its own
 * base URL, key variable and prices. A fixed list, so a policy names a provider the editor can
 * offer and the compiler can check; `local` suits any self-hosted server.
 */
export const OPENAI_COMPATIBLE_PROVIDERS = [
  'groq',
  'together',
  'mistral',
  'fireworks',
  'deepseek',
  'openrouter',
  'deepinfra',
  'cerebras',
  'xai',
  'azure',
  'vllm',
  'ollama',
  'local',
] as const;

export const PROVIDERS = [...BUILTIN_PROVIDERS, ...OPENAI_COMPATIBLE_PROVIDERS] as const;
export const ProviderNameSchema = z.enum(PROVIDERS);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

export const OpenAICompatibleNameSchema = z.enum(OPENAI_COMPATIBLE_PROVIDERS);
export type OpenAICompatibleName = z.infer<typeof OpenAICompatibleNameSchema>;

/** `auto` lets the runtime pick the provider the pricing table names for the model. */
export const RouteProviderSchema = z.enum(['auto', ...PROVIDERS]);
export type RouteProvider = z.infer<typeof RouteProviderSchema>;
