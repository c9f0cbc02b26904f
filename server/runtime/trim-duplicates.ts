import type { ChatMessage } from '../../shared/api.js';

/** Shorter paragraphs repeat by chance ("Thanks!", "ok"); only long ones are a pasted document or a repeated tool result. */
export const MIN_DUPLICATE_CHARS = 200;
export const REPEATED_BELOW = '[repeated further down]';

type Part = { type: string; text?: unknown };

/**
 * Replaces every earlier copy of a long repeated paragraph with a pointer, keeping the latest
 * copy: windows drop the oldest messages first, so the content stays as long as anything after
 * it does. Returns the same array when nothing repeats.
 */
export function removeDuplicates(messages: ChatMessage[]): ChatMessage[] {
  /** Each long paragraph's last place, as "message/part/paragraph". */
  const latest = new Map<string, string>();
  const split = messages.map((m) => texts(m).map((t) => t.split(/\n{2,}/)));
  split.forEach((parts, i) =>
    parts.forEach((paragraphs, p) =>
      paragraphs.forEach((paragraph, k) => {
        const key = normalise(paragraph);
        if (key.length >= MIN_DUPLICATE_CHARS) latest.set(key, `${i}/${p}/${k}`);
      }),
    ),
  );
  let changed = false;
  const out = messages.map((message, i) => {
    let touched = false;
    const rewritten = split[i]!.map((paragraphs, p) => {
      const kept: string[] = [];
      paragraphs.forEach((paragraph, k) => {
        const key = normalise(paragraph);
        const stale = key.length >= MIN_DUPLICATE_CHARS && latest.get(key) !== `${i}/${p}/${k}`;
        if (!stale) kept.push(paragraph);
        else if (kept.at(-1) !== REPEATED_BELOW) kept.push(REPEATED_BELOW);
        touched ||= stale;
      });
      return kept.join('\n\n');
    });
    if (!touched) return message;
    changed = true;
    return withTexts(message, rewritten);
  });
  return changed ? out : messages;
}

function normalise(paragraph: string): string {
  return paragraph.replace(/\s+/g, ' ').trim();
}

function texts(message: ChatMessage): string[] {
  if (typeof message.content === 'string') return [message.content];
  if (!Array.isArray(message.content)) return [];
  return (message.content as Part[]).filter((p) => p.type === 'text' && typeof p.text === 'string').map((p) => p.text as string);
}

function withTexts(message: ChatMessage, rewritten: string[]): ChatMessage {
  if (typeof message.content === 'string') return { ...message, content: rewritten[0]! };
  let n = 0;
  const content = (message.content as Part[]).map((p) => (p.type === 'text' && typeof p.text === 'string' ? { ...p, text: rewritten[n++]! } : p));
  return { ...message, content } as ChatMessage;
}
