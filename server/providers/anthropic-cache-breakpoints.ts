import { countTextTokens } from '../facts/tokens.js';
import type { PromptCacheCall } from './provider.js';

type Json = Record<string, unknown>;
type Block = Json & { type?: unknown; text?: unknown };

const EPHEMERAL = { type: 'ephemeral' } as const;
/** An image's tokens depend on its size, unknown here; this is a typical photo's, enough to judge a prefix's length. */
const IMAGE_TOKENS = 1600;

/**
 * A Messages API request with `cache_control` breakpoints on its longest stable prefix, in the
 * order Anthropic reads a prompt (tools, system, messages): after the tools, after the system
 * prompt, after a long document in the first user message, and after the history before the
 * last user turn: at most four, Anthropic's limit. A breakpoint goes only where the prefix up to
 * it reaches the model's minimum, because Anthropic silently ignores shorter ones. The last user
 * turn is never marked: it is what changes between calls.
 */
export function placeCacheBreakpoints(payload: Json, cache: PromptCacheCall | undefined, count: (text: string) => number = countTextTokens): Json {
  if (!cache) return payload;
  const out: Json = { ...payload };
  let total = 0;

  const tools = Array.isArray(payload.tools) ? (payload.tools as Json[]) : [];
  if (tools.length > 0) {
    total += count(JSON.stringify(tools));
    if (cache.cacheTools && total >= cache.minTokens) out.tools = [...tools.slice(0, -1), { ...tools.at(-1), cache_control: EPHEMERAL }];
  }

  if (typeof payload.system === 'string' && payload.system) {
    total += count(payload.system);
    if (cache.cacheSystem && total >= cache.minTokens) out.system = [{ type: 'text', text: payload.system, cache_control: EPHEMERAL }];
  }

  const messages = (Array.isArray(payload.messages) ? payload.messages : []) as { role: string; content: Block[] }[];
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  // Messages before the last user turn are the stable history; the first message is read too, for a document in it.
  const stableEnd = lastUser < 0 ? messages.length : lastUser;
  const marks = new Map<number, number[]>();
  for (let i = 0; i < messages.length && (i < stableEnd || i === 0); i++) {
    const message = messages[i]!;
    let documentEnd: number | null = null;
    message.content.forEach((block, j) => {
      const tokens = blockTokens(block, count);
      total += tokens;
      const lastOfPrompt = i === messages.length - 1 && j === message.content.length - 1;
      const isDocument = i === 0 && message.role === 'user' && tokens >= cache.documentMinTokens;
      if (cache.cacheDocument && isDocument && !lastOfPrompt && total >= cache.minTokens) documentEnd = j;
    });
    const at: number[] = documentEnd === null ? [] : [documentEnd];
    const historyEnd = message.content.length - 1;
    if (i === stableEnd - 1 && cache.cacheHistory && total >= cache.minTokens && historyEnd >= 0 && !at.includes(historyEnd)) at.push(historyEnd);
    if (at.length > 0) marks.set(i, at);
  }

  if (marks.size > 0) {
    out.messages = messages.map((message, i) => {
      const at = marks.get(i);
      if (!at) return message;
      return { ...message, content: message.content.map((block, j) => (at.includes(j) ? { ...block, cache_control: EPHEMERAL } : block)) };
    });
  }
  return out;
}

function blockTokens(block: Block, count: (text: string) => number): number {
  if (block.type === 'text' && typeof block.text === 'string') return count(block.text);
  if (block.type === 'image') return IMAGE_TOKENS;
  return count(JSON.stringify(block));
}
