import type { ChatMessage } from '../../shared/api.js';
import { cosine, embed } from '../cache/text-embedding.js';
import { messageText } from '../facts/tokens.js';

/** OpenAI's convention for few-shot examples in a chat: messages named `example_user` and `example_assistant`. */
const EXAMPLE_USER = 'example_user';
const EXAMPLE_ASSISTANT = 'example_assistant';

const nameOf = (m: ChatMessage) => (m as { name?: unknown }).name;

/**
 * Keeps the `keep` few-shot examples most similar to the final user message (hashed-word
 * embeddings, the semantic cache's), in their original order, and drops the rest. An example is
 * an `example_user` message and the `example_assistant` answer right after it. Returns the same
 * array when there are no more examples than `keep`.
 */
export function pruneFewShot(messages: ChatMessage[], keep: number): ChatMessage[] {
  const examples: { user: number; answer: number | null }[] = [];
  messages.forEach((m, i) => {
    if (nameOf(m) !== EXAMPLE_USER) return;
    const next = messages[i + 1];
    examples.push({ user: i, answer: next && nameOf(next) === EXAMPLE_ASSISTANT ? i + 1 : null });
  });
  if (examples.length <= keep) return messages;
  const question = [...messages].reverse().find((m) => m.role === 'user' && nameOf(m) !== EXAMPLE_USER);
  const target = embed(question ? messageText(question) : '');
  const ranked = examples
    .map((example, order) => ({ example, order, score: cosine(target, embed(messageText(messages[example.user]!))) }))
    .sort((a, b) => b.score - a.score || a.order - b.order);
  const dropped = new Set<number>();
  for (const { example } of ranked.slice(keep)) {
    dropped.add(example.user);
    if (example.answer !== null) dropped.add(example.answer);
  }
  return messages.filter((_, i) => !dropped.has(i));
}
