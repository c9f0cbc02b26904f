import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import { parseArguments, parseDataUrl, partsText, requestFunctions, stopSequences, unsupportedContent } from './openai-request-parts.js';

/** Anthropic requires max_tokens; OpenAI callers often leave it out. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

type Block = Record<string, unknown>;
type Part = Record<string, unknown> & { type: string };

export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: Block[];
}

/**
 * An OpenAI chat request as a Messages API request. System and developer messages become
 * `system`; tool results become user `tool_result` blocks; consecutive messages of one role are
 * merged, because Anthropic wants user and assistant turns to alternate and every tool result in
 * the user turn right after the tool call. OpenAI's temperature goes to 2, Anthropic's to 1: it
 * is clamped. Parts Anthropic cannot take (audio, non-PDF files) are the caller's fault: a 400.
 */
export function toAnthropicRequest(request: ChatCompletionRequest, model: string, stream: boolean): Record<string, unknown> {
  const system: string[] = [];
  const messages: AnthropicMessageParam[] = [];
  request.messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') {
      const text = partsText(message.content);
      if (text) system.push(text);
      return;
    }
    const role = message.role === 'assistant' ? 'assistant' : 'user';
    const blocks = messageBlocks(message, `messages[${i}]`);
    if (blocks.length === 0) return;
    const last = messages[messages.length - 1];
    if (last?.role === role) last.content.push(...blocks);
    else messages.push({ role, content: blocks });
  });

  const body: Record<string, unknown> = {
    model,
    messages,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
  };
  if (system.length > 0) body.system = system.join('\n\n');
  if (typeof request.temperature === 'number') body.temperature = Math.min(request.temperature, 1);
  if (typeof request.top_p === 'number') body.top_p = request.top_p;
  const stop = stopSequences(request.stop);
  if (stop.length > 0) body.stop_sequences = stop;
  const tools = anthropicTools(request);
  if (tools.length > 0) body.tools = tools;
  const toolChoice = anthropicToolChoice(request.tool_choice ?? request.function_call, request.parallel_tool_calls);
  if (toolChoice && tools.length > 0) body.tool_choice = toolChoice;
  if (request.user) body.metadata = { user_id: request.user };
  if (stream) body.stream = true;
  return body;
}

function messageBlocks(message: ChatMessage, param: string): Block[] {
  if (message.role === 'tool' || message.role === 'function') {
    const id = message.role === 'tool' ? message.tool_call_id : message.name;
    return [{ type: 'tool_result', tool_use_id: id ?? '', content: toolResultContent(message.content, param) }];
  }
  const blocks = contentBlocks(message.content, param);
  if (message.role === 'assistant') {
    for (const call of message.tool_calls ?? []) blocks.push(toolUseBlock(call));
    const legacy = (message as { function_call?: { name?: string; arguments?: string } }).function_call;
    if (legacy?.name) blocks.push({ type: 'tool_use', id: legacy.name, name: legacy.name, input: parseArguments(legacy.arguments) });
  }
  return blocks;
}

function contentBlocks(content: ChatMessage['content'], param: string): Block[] {
  if (typeof content === 'string') return content ? [{ type: 'text', text: content }] : [];
  if (!Array.isArray(content)) return [];
  const blocks: Block[] = [];
  content.forEach((part, j) => {
    const block = partBlock(part as Part, `${param}.content[${j}]`);
    if (block) blocks.push(block);
  });
  return blocks;
}

function partBlock(part: Part, param: string): Block | null {
  switch (part.type) {
    case 'text':
    case 'refusal': {
      const text = typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '';
      return text ? { type: 'text', text } : null;
    }
    case 'image_url': {
      const image = part.image_url as { url?: unknown } | string | undefined;
      const url = typeof image === 'string' ? image : image?.url;
      if (typeof url !== 'string') throw unsupportedContent('anthropic', param, 'an image_url part needs image_url.url');
      return { type: 'image', source: imageSource(url, param) };
    }
    case 'file': {
      const data = (part.file as { file_data?: unknown } | undefined)?.file_data;
      const parsed = typeof data === 'string' ? parseDataUrl(data) : null;
      if (!parsed || parsed.mediaType !== 'application/pdf') throw unsupportedContent('anthropic', param, 'anthropic takes files only as PDF data URLs');
      return { type: 'document', source: { type: 'base64', media_type: parsed.mediaType, data: parsed.data } };
    }
    default:
      throw unsupportedContent('anthropic', param, `anthropic cannot take content parts of type '${part.type}'`);
  }
}

function imageSource(url: string, param: string): Block {
  if (url.startsWith('data:')) {
    const parsed = parseDataUrl(url);
    if (!parsed) throw unsupportedContent('anthropic', param, 'the image data URL is malformed');
    return { type: 'base64', media_type: parsed.mediaType, data: parsed.data };
  }
  return { type: 'url', url };
}

function toolResultContent(content: ChatMessage['content'], param: string): string | Block[] {
  if (typeof content === 'string') return content;
  return contentBlocks(content, param);
}

function toolUseBlock(call: Record<string, unknown>): Block {
  const fn = (call.function ?? {}) as { name?: unknown; arguments?: unknown };
  return { type: 'tool_use', id: call.id, name: fn.name, input: parseArguments(fn.arguments) };
}

function anthropicTools(request: ChatCompletionRequest): Block[] {
  return requestFunctions(request).map((fn) => ({
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    input_schema: fn.parameters ?? { type: 'object', properties: {} },
  }));
}

function anthropicToolChoice(choice: unknown, parallel: unknown): Block | null {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === 'none') return { type: 'none' };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (typeof choice === 'object' && choice !== null) {
    const name = (choice as { function?: { name?: unknown }; name?: unknown }).function?.name ?? (choice as { name?: unknown }).name;
    if (typeof name === 'string') return { type: 'tool', name, ...noParallel };
  }
  if (choice === 'auto' || parallel === false) return { type: 'auto', ...noParallel };
  return null;
}

