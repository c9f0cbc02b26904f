import { z } from 'zod';

export const PROVIDERS = ['openai', 'anthropic', 'gemini', 'simulator'] as const;
export const ProviderNameSchema = z.enum(PROVIDERS);
export type ProviderName = z.infer<typeof ProviderNameSchema>;

/** `auto` lets the runtime pick the provider the pricing table names for the model. */
export const RouteProviderSchema = z.enum(['auto', ...PROVIDERS]);
export type RouteProvider = z.infer<typeof RouteProviderSchema>;
