import type { ChatMessage } from '../../shared/api.js';
import { countPromptTokens } from '../facts/tokens.js';

const isPinned = (m: ChatMessage) => m.role === 'system' || m.role === 'developer';

/**
 * A history window measured in tokens: the system prompt, then the latest whole turns that fit
 * in `budget` (the last turn always). A turn starts at a user message and holds the assistant
 * replies, tool calls and tool results after it, so a window never starts on a tool result
 * whose call was cut off. Each message is counted once, however long the conversation.
 */
export function historyWindow(messages: ChatMessage[], budget: number): ChatMessage[] {
  const pinned = messages.filter(isPinned);
  const turns: ChatMessage[][] = [];
  for (const message of messages) {
    if (isPinned(message)) continue;
    if (message.role === 'user' || turns.length === 0) turns.push([message]);
    else turns[turns.length - 1]!.push(message);
  }
  let used = countPromptTokens(pinned);
  let first = turns.length;
  for (let i = turns.length - 1; i >= 0; i--) {
    const cost = countPromptTokens(turns[i]!) - countPromptTokens([]);
    if (i < turns.length - 1 && used + cost > budget) break;
    used += cost;
    first = i;
  }
  if (first === 0) return messages;
  const kept = new Set(turns.slice(first).flat());
  return messages.filter((m) => isPinned(m) || kept.has(m));
}
