import { DEFAULT_ANTHROPIC_BASE_URL } from '../providers/anthropic-provider.js';
import { DEFAULT_OPENAI_BASE_URL } from '../providers/openai-provider.js';
import type { ProvidersConfig } from '../providers/providers-config.js';
import { AnthropicBatchClient } from './anthropic-batch-client.js';
import type { BatchClient } from './batch-client.js';
import type { BatchProvider } from './batch-job.js';
import { OpenAIBatchClient } from './openai-batch-client.js';

/** A batch client for each provider with a key or base URL set, at the same endpoint its chat calls use. */
export function batchClientsFor(config: ProvidersConfig): Partial<Record<BatchProvider, BatchClient>> {
  const clients: Partial<Record<BatchProvider, BatchClient>> = {};
  if (config.openai.apiKey || config.openai.baseUrl) clients.openai = new OpenAIBatchClient({ baseUrl: config.openai.baseUrl ?? DEFAULT_OPENAI_BASE_URL, apiKey: config.openai.apiKey });
  if (config.anthropic.apiKey || config.anthropic.baseUrl) clients.anthropic = new AnthropicBatchClient({ baseUrl: config.anthropic.baseUrl ?? DEFAULT_ANTHROPIC_BASE_URL, apiKey: config.anthropic.apiKey });
  return clients;
}
