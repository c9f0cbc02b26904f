import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import { parseArguments, parseDataUrl, partsText, requestFunctions, stopSequences, unsupportedContent } from './openai-request-parts.js';

type Json = Record<string, unknown>;
type Part = Record<string, unknown> & { type: string };

export interface GeminiContent {
  role: 'user' | 'model';
  parts: Json[];
}

/**
 * An OpenAI chat request as a Gemini `generateContent` body. System and developer messages become
 * `systemInstruction`; assistant turns are role `model`; tool calls become `functionCall` parts and
 * tool results `functionResponse` parts, which Gemini names by function, not by call id, so ids are
 * mapped back to the names of the calls they answer. Consecutive turns of one role are merged, as
 * Gemini wants user and model turns to alternate. Images travel only as data URLs (inlineData).
 */
export function toGeminiRequest(request: ChatCompletionRequest): Json {
  const system: string[] = [];
  const contents: GeminiContent[] = [];
  const callNames = new Map<string, string>();
  request.messages.forEach((message, i) => {
    if (message.role === 'system' || message.role === 'developer') {
      const text = partsText(message.content);
      if (text) system.push(text);
      return;
    }
    const role = message.role === 'assistant' ? 'model' : 'user';
    const parts = messageParts(message, `messages[${i}]`, callNames);
    if (parts.length === 0) return;
    const last = contents[contents.length - 1];
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  });

  const body: Json = { contents };
  if (system.length > 0) body.systemInstruction = { parts: [{ text: system.join('\n\n') }] };
  const config: Json = {};
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') config.maxOutputTokens = maxTokens;
  if (typeof request.temperature === 'number') config.temperature = request.temperature;
  if (typeof request.top_p === 'number') config.topP = request.top_p;
  const stop = stopSequences(request.stop);
  if (stop.length > 0) config.stopSequences = stop;
  if (isJsonMode(request.response_format)) config.responseMimeType = 'application/json';
  if (Object.keys(config).length > 0) body.generationConfig = config;
  const declarations = functionDeclarations(request);
  if (declarations.length > 0) body.tools = [{ functionDeclarations: declarations }];
  const toolConfig = functionCallingConfig(request.tool_choice ?? request.function_call);
  if (toolConfig && declarations.length > 0) body.toolConfig = { functionCallingConfig: toolConfig };
  return body;
}

function messageParts(message: ChatMessage, param: string, callNames: Map<string, string>): Json[] {
  if (message.role === 'tool' || message.role === 'function') {
    const name = message.role === 'tool' ? (callNames.get(String(message.tool_call_id ?? '')) ?? String(message.name ?? '')) : String(message.name ?? '');
    if (!name) throw unsupportedContent('gemini', `${param}.tool_call_id`, 'a tool result must answer a tool call of an earlier assistant message');
    return [{ functionResponse: { name, response: toolResponse(message.content) } }];
  }
  const parts = contentParts(message.content, param);
  if (message.role === 'assistant') {
    for (const call of (message.tool_calls ?? []) as Json[]) {
      const fn = (call.function ?? {}) as { name?: unknown; arguments?: unknown };
      if (typeof fn.name !== 'string') continue;
      if (typeof call.id === 'string') callNames.set(call.id, fn.name);
      parts.push({ functionCall: { name: fn.name, args: parseArguments(fn.arguments) } });
    }
  }
  return parts;
}

function contentParts(content: ChatMessage['content'], param: string): Json[] {
  if (typeof content === 'string') return content ? [{ text: content }] : [];
  if (!Array.isArray(content)) return [];
  const parts: Json[] = [];
  content.forEach((part, j) => {
    const converted = contentPart(part as Part, `${param}.content[${j}]`);
    if (converted) parts.push(converted);
  });
  return parts;
}

function contentPart(part: Part, param: string): Json | null {
  if (part.type === 'text' || part.type === 'refusal') {
    const text = typeof part.text === 'string' ? part.text : typeof part.refusal === 'string' ? part.refusal : '';
    return text ? { text } : null;
  }
  if (part.type === 'image_url') {
    const image = part.image_url as { url?: unknown } | string | undefined;
    const url = typeof image === 'string' ? image : image?.url;
    const parsed = typeof url === 'string' && url.startsWith('data:') ? parseDataUrl(url) : null;
    if (!parsed) throw unsupportedContent('gemini', param, 'gemini takes images as data: URLs (base64); upload remote images first');
    return { inlineData: { mimeType: parsed.mediaType, data: parsed.data } };
  }
  if (part.type === 'file') {
    const data = (part.file as { file_data?: unknown } | undefined)?.file_data;
    const parsed = typeof data === 'string' ? parseDataUrl(data) : null;
    if (!parsed) throw unsupportedContent('gemini', param, 'gemini takes files as data URLs');
    return { inlineData: { mimeType: parsed.mediaType, data: parsed.data } };
  }
  throw unsupportedContent('gemini', param, `gemini cannot take content parts of type '${part.type}'`);
}

/** Gemini wants an object as a function's response; a plain string result travels wrapped. */
function toolResponse(content: ChatMessage['content']): Json {
  const text = partsText(content);
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    /* not JSON: wrapped below */
  }
  return { content: text };
}

function isJsonMode(format: unknown): boolean {
  const type = (format as { type?: unknown } | undefined)?.type;
  return type === 'json_object' || type === 'json_schema';
}

function functionDeclarations(request: ChatCompletionRequest): Json[] {
  return requestFunctions(request).map((fn) => ({
    name: fn.name,
    ...(fn.description ? { description: fn.description } : {}),
    ...(fn.parameters ? { parameters: fn.parameters } : {}),
  }));
}

function functionCallingConfig(choice: unknown): Json | null {
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (choice === 'auto') return { mode: 'AUTO' };
  if (typeof choice === 'object' && choice !== null) {
    const name = (choice as { function?: { name?: unknown }; name?: unknown }).function?.name ?? (choice as { name?: unknown }).name;
    if (typeof name === 'string') return { mode: 'ANY', allowedFunctionNames: [name] };
  }
  return null;
}

