import { countTokens } from 'gpt-tokenizer';
import { LRUCache } from 'lru-cache';
import type { ChatMessage } from '../../shared/api.js';

/** OpenAI's chat format adds about this many tokens per message for role and separators. */
const PER_MESSAGE_OVERHEAD = 4;
/** Images are billed by tile; this is the price of one 512px tile at high detail, a fair middle. */
const IMAGE_TOKENS = 255;

export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) if (part.type === 'text' && typeof part.text === 'string') text += part.text;
  return text;
}

export function messageHasImage(message: ChatMessage): boolean {
  return Array.isArray(message.content) && message.content.some((p) => p.type === 'image_url' || p.type === 'image');
}

/**
 * A run of text without whitespace, or of whitespace alone, longer than this is counted in pieces
 * of this size. The tokenizer's merge step is quadratic in the length of one pre-tokenized piece,
 * and such a run is one piece: 64,000 letters took 3 s, 64,000 spaces 4 s, a 1 MB one minutes,
 * all of it holding the event loop. A base64 blob, a minified file or padding in a prompt is
 * exactly that. A cut changes the count by at most a token, and text without such a run is
 * counted exactly as before.
 */
const PIECE = 256;
const LONG_RUN = new RegExp(`(?<!\\S)\\S{${PIECE + 1},}|(?<!\\s)\\s{${PIECE + 1},}`, 'g');

/**
 * A text this long costs milliseconds to count (about 30 ms a megabyte of prose, about 3 s a
 * megabyte of random printable characters such as base64: bench/token-count-cost.ts), so the runtime counts it on a worker thread before the request's
 * facts are read (token-counter.ts), and its count is kept here for every count that follows (the
 * facts, a trim node, a fallback usage count).
 */
export const LARGE_TEXT = 64 * 1024;
/** Counts of large texts, by the text: at most this many characters of them are held. */
const largeCounts = new LRUCache<string, number>({ maxSize: 16 * 1024 * 1024, sizeCalculation: (_count, text) => text.length });

/** A large text's count as it was counted elsewhere (the token count worker). */
export function rememberLargeCount(text: string, tokens: number): void {
  if (text.length >= LARGE_TEXT) largeCounts.set(text, tokens);
}

/** The texts among these that are large and not counted yet: what a worker should count first. */
export function uncountedLargeTexts(texts: readonly string[]): string[] {
  return texts.filter((text) => text.length >= LARGE_TEXT && !largeCounts.has(text));
}

/** Tokens as the o200k tokenizer (GPT-4o's) counts them, in time linear in the text's length. */
function countLinear(text: string): number {
  if (text.length < LARGE_TEXT) return countTextTokensUncached(text);
  const known = largeCounts.get(text);
  if (known !== undefined) return known;
  const tokens = countTextTokensUncached(text);
  largeCounts.set(text, tokens);
  return tokens;
}

/** countTextTokens without the kept counts: for the worker, which keeps none (the runtime keeps them). */
export function countTextTokensUncached(text: string): number {
  if (text.length <= PIECE) return countTokens(text);
  let total = 0;
  let from = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    if (match.index > from) total += countTokens(text.slice(from, match.index));
    const run = match[0];
    for (let i = 0; i < run.length; i += PIECE) total += countTokens(run.slice(i, i + PIECE));
    from = match.index + run.length;
  }
  if (from === 0) return countTokens(text);
  if (from < text.length) total += countTokens(text.slice(from));
  return total;
}

/** Prompt tokens as the o200k tokenizer (GPT-4o's) counts them, plus the chat format's overhead. */
export function countPromptTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const message of messages) {
    total += PER_MESSAGE_OVERHEAD;
    const text = messageText(message);
    if (text) total += countLinear(text);
    if (messageHasImage(message)) total += IMAGE_TOKENS;
    if (message.tool_calls) total += countLinear(JSON.stringify(message.tool_calls));
  }
  return total;
}

/** The characters of tool calls' `function.arguments`, where their bulk is; a call that puts it elsewhere is counted on the event loop. */
function argumentsLength(calls: readonly Record<string, unknown>[]): number {
  let length = 0;
  for (const call of calls) {
    const args = (call.function as { arguments?: unknown } | undefined)?.arguments;
    if (typeof args === 'string') length += args.length;
  }
  return length;
}

/** The large texts countPromptTokens would count in these messages, as it would count them. */
export function largePromptTexts(messages: readonly ChatMessage[]): string[] {
  const texts: string[] = [];
  for (const message of messages) {
    const text = messageText(message);
    if (text.length >= LARGE_TEXT) texts.push(text);
    // Stringified only when the calls' arguments are large: agents send tool calls in every turn, small.
    if (message.tool_calls && argumentsLength(message.tool_calls) >= LARGE_TEXT / 2) texts.push(JSON.stringify(message.tool_calls));
  }
  return texts;
}

export function countTextTokens(text: string): number {
  return text ? countLinear(text) : 0;
}
