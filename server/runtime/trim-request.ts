import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import type { TrimAction } from '../../shared/decision.js';
import { countPromptTokens } from '../facts/tokens.js';
import { minifyTools } from './minify-tools.js';
import { removeDuplicates } from './trim-duplicates.js';
import { pruneFewShot } from './trim-few-shot.js';
import { historyWindow } from './trim-history.js';

export interface TrimResult {
  request: ChatCompletionRequest;
  /** Messages dropped to fit the window or the token cap. */
  droppedMessages: number;
  /** Prompt tokens before and after, when anything changed. */
  tokensBefore: number;
  tokensAfter: number;
}

const isPinned = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';

/** Returns the same object when there was nothing to collapse, so callers can tell. */
function collapse(message: ChatMessage): ChatMessage {
  if (typeof message.content === 'string') {
    const content = collapseText(message.content);
    return content === message.content ? message : { ...message, content };
  }
  if (!Array.isArray(message.content)) return message;
  return {
    ...message,
    content: message.content.map((p) => (p.type === 'text' && typeof p.text === 'string' ? { ...p, text: collapseText(p.text) } : p)),
  };
}

/** Runs of spaces and blank lines cost tokens and carry nothing; code blocks keep their indentation. */
function collapseText(text: string): string {
  // Trailing blanks are matched from the start of their run only: from every blank of a long run
  // that ends in other text, the search ran to its end again (80,000 blanks: 14 s).
  if (text.includes('```')) return text.replace(/(?<![ \t])[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n');
  return text.replace(/[ \t]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

/**
 * Applies a trim action: whitespace, few-shot pruning, repeated paragraphs, a history window by messages and by
 * tokens, then dropping the oldest turns until the prompt fits; tool schemas are minified. System messages and the last message always stay; a tool result never
 * loses the assistant turn that asked for it.
 */
export function trimRequest(request: ChatCompletionRequest, action: TrimAction, tokensBefore: number): TrimResult {
  let messages = action.collapseWhitespace ? request.messages.map(collapse) : [...request.messages];
  const originalCount = messages.length;
  // Re-counting tokens is the costly part; skip it when nothing changed.
  let changed = messages.some((m, i) => m !== request.messages[i]);
  if (action.fewShotKeep) {
    const pruned = pruneFewShot(messages, action.fewShotKeep);
    changed ||= pruned !== messages;
    messages = pruned;
  }
  if (action.removeDuplicates) {
    const deduped = removeDuplicates(messages);
    changed ||= deduped !== messages;
    messages = deduped;
  }

  if (action.keepLastMessages > 0) {
    const pinned = messages.filter(isPinned);
    const rest = messages.filter((m) => !isPinned(m));
    messages = [...pinned, ...dropOrphanedTools(rest.slice(-action.keepLastMessages))];
    changed ||= messages.length !== originalCount;
  }
  if (action.historyTokens) {
    const windowed = historyWindow(messages, action.historyTokens);
    changed ||= windowed !== messages;
    messages = windowed;
  }
  let tokens = changed ? countPromptTokens(messages) : tokensBefore;
  if (action.maxInputTokens > 0 && tokens > action.maxInputTokens) ({ messages, tokens } = dropOldest(messages, action.maxInputTokens));
  const trimmed: ChatCompletionRequest = { ...request, messages };
  if (action.minifyTools && request.tools) trimmed.tools = minifyTools(request.tools);
  if (action.maxOutputTokens > 0) {
    const asked = request.max_completion_tokens ?? request.max_tokens;
    const capped = asked ? Math.min(asked, action.maxOutputTokens) : action.maxOutputTokens;
    if (request.max_completion_tokens != null) trimmed.max_completion_tokens = capped;
    else trimmed.max_tokens = capped;
  }
  return { request: trimmed, droppedMessages: originalCount - messages.length, tokensBefore, tokensAfter: tokens };
}

/**
 * Drops the oldest non-system message (and tool results it orphans) until the prompt fits or
 * only the system prompt and the last message are left. A prompt's token count is a sum over
 * its messages, so each is counted once instead of recounting the whole prompt per drop: on a
 * 400-message conversation that is the difference between milliseconds and most of a second.
 */
function dropOldest(messages: ChatMessage[], max: number): { messages: ChatMessage[]; tokens: number } {
  const base = countPromptTokens([]);
  const cost = new Map(messages.map((m) => [m, countPromptTokens([m]) - base]));
  let kept = messages;
  let tokens = base + kept.reduce((sum, m) => sum + cost.get(m)!, 0);
  while (tokens > max) {
    const index = kept.findIndex((m, i) => !isPinned(m) && i < kept.length - 1);
    if (index < 0) break;
    kept = [...kept.slice(0, index), ...dropOrphanedTools(kept.slice(index + 1))];
    tokens = base + kept.reduce((sum, m) => sum + cost.get(m)!, 0);
  }
  return { messages: kept, tokens };
}

/** A window must not start with tool results whose assistant turn was cut off: providers reject those. */
function dropOrphanedTools(messages: ChatMessage[]): ChatMessage[] {
  let start = 0;
  while (start < messages.length - 1 && messages[start]!.role === 'tool') start++;
  return messages.slice(start);
}
