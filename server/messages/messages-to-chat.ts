import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import type { AnthropicMessage, ContentBlock, ImageBlock, MessagesRequest } from '../../shared/messages-api.js';

type Part = { type: string; [key: string]: unknown };

/**
 * An Anthropic Messages API request as the chat completion the pipeline decides on, caches and
 * books: system becomes the system message, a user turn's tool_result blocks become tool turns
 * (ahead of its text, as chat orders them; their images open that text's user turn), an
 * assistant's tool_use blocks its tool_calls,
 * stop_sequences stop, metadata.user_id user. A stream always asks for usage: the Messages
 * stream ends with it. thinking settings and blocks, top_k and cache_control marks are dropped
 * (see the schema).
 */
export function messagesToChat(request: MessagesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  const system = typeof request.system === 'string' ? request.system : request.system?.map((b) => b.text).join('\n\n');
  if (system) messages.push({ role: 'system', content: system });
  for (const message of request.messages) messages.push(...toChatMessages(message));
  const chat: ChatCompletionRequest = { model: request.model, messages, max_tokens: request.max_tokens };
  if (request.stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.top_p = request.top_p;
  if (request.stop_sequences?.length) chat.stop = request.stop_sequences;
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;
  if (request.tools?.length) {
    chat.tools = request.tools.map((t) => ({ type: 'function', function: { name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema } }));
  }
  const choice = request.tool_choice;
  if (choice) {
    chat.tool_choice = choice.type === 'auto' ? 'auto' : choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : { type: 'function', function: { name: choice.name } };
    if (choice.type !== 'none' && choice.disable_parallel_tool_use) chat.parallel_tool_calls = false;
  }
  return chat;
}

function toChatMessages(message: AnthropicMessage): ChatMessage[] {
  if (typeof message.content === 'string') return [{ role: message.role, content: message.content }];
  if (message.role === 'assistant') return [assistantTurn(message.content)];
  const out: ChatMessage[] = [];
  // A chat tool turn carries text only: a tool result's images open the user turn that follows it.
  const toolImages: Part[] = [];
  const parts: Part[] = [];
  for (const block of message.content) {
    if (block.type === 'tool_result') {
      out.push({ role: 'tool', tool_call_id: block.tool_use_id, content: toolResultText(block) });
      if (typeof block.content !== 'string') for (const b of block.content ?? []) if (b.type === 'image') toolImages.push(imagePart(b));
    } else if (block.type === 'text') parts.push({ type: 'text', text: block.text });
    else if (block.type === 'image') parts.push(imagePart(block));
  }
  parts.unshift(...toolImages);
  if (parts.length > 0) out.push({ role: 'user', content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text as string).join('\n\n') : parts });
  return out;
}

function assistantTurn(blocks: readonly ContentBlock[]): ChatMessage {
  const text = blocks.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('');
  // thinking and redacted_thinking blocks fall away here.
  const calls = blocks.flatMap((b) => (b.type === 'tool_use' ? [{ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input) } }] : []));
  return { role: 'assistant', content: text === '' && calls.length > 0 ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) };
}

/** Chat tool turns carry text; an error result says so, since chat has no is_error. */
function toolResultText(block: Extract<ContentBlock, { type: 'tool_result' }>): string {
  const text = typeof block.content === 'string' ? block.content : (block.content ?? []).flatMap((b) => (b.type === 'text' ? [b.text] : ['[image: in the next user turn]'])).join('\n');
  return block.is_error ? `Error: ${text}` : text;
}

function imagePart(block: ImageBlock): Part {
  const url = block.source.type === 'url' ? block.source.url : `data:${block.source.media_type};base64,${block.source.data}`;
  return { type: 'image_url', image_url: { url } };
}
