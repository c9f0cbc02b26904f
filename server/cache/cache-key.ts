import { createHash } from 'node:crypto';
import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import type { CacheAction } from '../../shared/decision.js';
import { canonicalJson } from './canonical-json.js';

/** What a cache lookup or store is about: the request as it will be sent, the model the route calls, the request's tags. */
export interface CacheInput {
  request: ChatCompletionRequest;
  model: string;
  tags: Record<string, string>;
}

/**
 * Request fields that do not change the answer: how it is delivered (stream), who asked (user,
 * attribution metadata), and provider-side bookkeeping. Everything else, including fields
 * Tollgate does not know, is part of the key: an unknown field may change the answer.
 */
const NOT_IN_KEY = new Set(['model', 'messages', 'stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier', 'prompt_cache_key', 'prompt_cache_retention', 'safety_identifier']);

/** Bumped when the key's shape changes, so a disk tier never serves an answer filed under an old meaning. */
const KEY_VERSION = 1;

function parameters(request: ChatCompletionRequest): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(request)) {
    // null and absent mean the same to providers (`temperature: null` is the default temperature).
    if (!NOT_IN_KEY.has(name) && value !== null && value !== undefined) kept[name] = value;
  }
  return kept;
}

/** The partition a cache node's scope tags put the request in; a missing tag is the value ''. */
function scopeValues(action: CacheAction, tags: Record<string, string>): [string, string][] {
  return [...new Set(action.scopeTags)].sort().map((tag) => [tag, Object.hasOwn(tags, tag) ? tags[tag]! : '']);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The exact-mode key: same messages, model, answer-changing parameters and scope partition, same key. */
export function exactKey(action: CacheAction, input: CacheInput): string {
  return sha256(
    canonicalJson({ v: KEY_VERSION, model: input.model, messages: input.request.messages, params: parameters(input.request), scope: scopeValues(action, input.tags) }),
  );
}

export interface SemanticQuery {
  /** Hash of everything but the last user message: a hit must share all of it exactly. */
  partition: string;
  /** The last user message's text, which is what is compared by similarity. */
  text: string;
}

/**
 * Splits a request for semantic lookup, or null when it ends with something other than a user's
 * text (a tool result, an image): those are answered from the exact cache only.
 */
export function semanticQuery(action: CacheAction, input: CacheInput): SemanticQuery | null {
  const { messages } = input.request;
  const last = messages[messages.length - 1];
  const text = last && last.role === 'user' ? messageText(last) : null;
  if (text === null || text.trim() === '') return null;
  const partition = sha256(
    canonicalJson({
      v: KEY_VERSION,
      semantic: true,
      model: input.model,
      prefix: messages.slice(0, -1),
      name: last!.name,
      params: parameters(input.request),
      scope: scopeValues(action, input.tags),
    }),
  );
  return { partition, text };
}

/** A message's text, or null if it carries anything else (images, audio). */
function messageText(message: ChatMessage): string | null {
  if (typeof message.content === 'string') return message.content;
  if (!Array.isArray(message.content)) return null;
  const parts: string[] = [];
  for (const part of message.content) {
    if (part.type !== 'text' || typeof part.text !== 'string') return null;
    parts.push(part.text);
  }
  return parts.join('\n');
}
