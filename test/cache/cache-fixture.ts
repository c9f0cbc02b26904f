import type { ChatCompletionRequest } from '../../shared/api.js';
import type { CacheAction } from '../../shared/decision.js';
import type { CacheInput } from '../../server/cache/cache-key.js';

export function cacheAction(overrides: Partial<CacheAction> = {}): CacheAction {
  return { type: 'cache', node: 'cache-1', mode: 'exact', ttlSeconds: 60, maxWrongHitRate: 0.02, scopeTags: [], ...overrides };
}

export function cacheInput(question: string, overrides: { request?: Partial<ChatCompletionRequest>; model?: string; tags?: Record<string, string> } = {}): CacheInput {
  return {
    request: { model: 'gpt-4o', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: question }], ...overrides.request },
    model: overrides.model ?? 'gpt-4o-mini',
    tags: overrides.tags ?? {},
  };
}

export function completion(text: string): { body: Record<string, unknown>; usage: { inputTokens: number; outputTokens: number; cachedInputTokens: number }; model: string } {
  return {
    body: { id: 'chatcmpl-1', object: 'chat.completion', created: 0, model: 'gpt-4o-mini', choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }] },
    usage: { inputTokens: 12, outputTokens: 5, cachedInputTokens: 0 },
    model: 'gpt-4o-mini',
  };
}

export function answerOf(hit: { body: Record<string, unknown> } | null): string | null {
  if (!hit) return null;
  return (hit.body.choices as { message: { content: string } }[])[0]!.message.content;
}
