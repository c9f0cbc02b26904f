import type { CountTokensRequest } from '../../shared/messages-api.js';
import { countPromptTokens, countTextTokens, largePromptTexts } from '../facts/tokens.js';
import { messagesToChat } from './messages-to-chat.js';

/**
 * The prompt tokens of a Messages request, counted as the pipeline counts them (GPT-4o's o200k
 * tokenizer and the chat format's overhead; Claude's own tokenizer is not public), plus its tool
 * definitions, which agents send by the thousand tokens and a context-window estimate needs.
 */
export function countMessageTokens(request: CountTokensRequest): number {
  const chat = messagesToChat({ ...request, max_tokens: 1 });
  return countPromptTokens(chat.messages) + (chat.tools ? countTextTokens(JSON.stringify(chat.tools)) : 0);
}

/** The large texts countMessageTokens reads, for counting off the event loop first. */
export function largeMessageTexts(request: CountTokensRequest): string[] {
  const chat = messagesToChat({ ...request, max_tokens: 1 });
  const texts = largePromptTexts(chat.messages);
  if (chat.tools) texts.push(JSON.stringify(chat.tools));
  return texts;
}
