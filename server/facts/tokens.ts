import { countTokens } from 'gpt-tokenizer';
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

/** Prompt tokens as the o200k tokenizer (GPT-4o's) counts them, plus the chat format's overhead. */
export function countPromptTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const message of messages) {
    total += PER_MESSAGE_OVERHEAD;
    const text = messageText(message);
    if (text) total += countTokens(text);
    if (messageHasImage(message)) total += IMAGE_TOKENS;
    if (message.tool_calls) total += countTokens(JSON.stringify(message.tool_calls));
  }
  return total;
}

export function countTextTokens(text: string): number {
  return text ? countTokens(text) : 0;
}
