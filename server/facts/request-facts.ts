import type { ChatCompletionRequest } from '../../shared/api.js';
import { estimateCost } from '../../shared/cost.js';
import type { RequestFacts } from '../../shared/facts.js';
import { WEEKDAYS } from '../../shared/facts.js';
import type { PricingTable } from '../../shared/pricing.js';
import { classify } from './classify.js';
import { rememberPromptText } from './prompt-text.js';
import { countPromptTokens, messageHasImage, messageText } from './tokens.js';

/** What the caller said about itself outside the body. */
export interface CallerContext {
  tags: Record<string, string>;
  /** The tags bound to the caller's service key: already in `tags`, and final (no Tag node overrides them). */
  boundTags?: Record<string, string>;
  serviceKey: string;
  user: string;
  tier: string;
}

/** The model's expected answer length when the caller sets no max_tokens, for cost estimates. */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

export function maxTokensOf(request: ChatCompletionRequest): number {
  return request.max_completion_tokens ?? request.max_tokens ?? 0;
}

/** Derives every static fact of one request, once; rules then only read them. */
/** What the static facts of a request are read against besides the request itself. */
export interface FactContext {
  caller: CallerContext;
  pricing: PricingTable;
  now: Date;
}

export function requestFacts(request: ChatCompletionRequest, { caller, pricing, now }: FactContext): RequestFacts {
  const messages = request.messages;
  const promptTokens = countPromptTokens(messages);
  const maxTokens = maxTokensOf(request);
  const hasTools = (request.tools?.length ?? 0) > 0 || (request.functions?.length ?? 0) > 0;
  let lastUser = '';
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'user') {
      lastUser = messageText(messages[i]!);
      break;
    }
  }
  const { taskType, complexity } = classify({ text: lastUser, promptTokens, messageCount: messages.length, hasTools });
  const price = pricing.models[request.model];
  const tags = { ...request.metadata, ...caller.tags };
  return rememberPromptText({
    model: request.model,
    provider: price?.provider ?? 'openai',
    promptTokens,
    maxTokens,
    messageCount: messages.length,
    hasTools,
    hasImages: messages.some(messageHasImage),
    stream: request.stream === true,
    tags,
    user: caller.user || request.user || '',
    serviceKey: caller.serviceKey,
    tier: caller.tier || tags.tier || '',
    taskType,
    complexity,
    hour: now.getUTCHours(),
    weekday: WEEKDAYS[now.getUTCDay()]!,
    estimatedCostUsd: price
      ? estimateCost({ inputTokens: promptTokens, outputTokens: maxTokens || DEFAULT_EXPECTED_OUTPUT_TOKENS }, price)
      : 0,
  }, lastUser);
}
