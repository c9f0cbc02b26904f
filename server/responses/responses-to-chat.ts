import type { ChatCompletionRequest, ChatMessage } from '../../shared/api.js';
import type { InputItem, ResponsesRequest } from '../../shared/responses-api.js';

type Part = { type: string; [key: string]: unknown };

/**
 * A Responses API request as the chat completion the pipeline decides on, caches and books: the
 * instructions become the system message, input items become turns (function calls an assistant
 * turn with tool_calls, their outputs tool turns), max_output_tokens max_tokens, text.format
 * response_format. A stream always asks for usage: the Responses stream ends with it.
 */
export function responsesToChat(request: ResponsesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: 'system', content: request.instructions });
  messages.push(...itemsToMessages(request.input));
  const chat: ChatCompletionRequest = { model: request.model, messages };
  if (request.stream) Object.assign(chat, { stream: true, stream_options: { include_usage: true } });
  if (request.max_output_tokens != null) chat.max_tokens = request.max_output_tokens;
  if (request.temperature != null) chat.temperature = request.temperature;
  if (request.top_p != null) chat.top_p = request.top_p;
  if (request.user !== undefined) chat.user = request.user;
  if (request.metadata) chat.metadata = request.metadata;
  if (request.tools?.length) {
    chat.tools = request.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, ...(t.description ? { description: t.description } : {}), ...(t.parameters ? { parameters: t.parameters } : {}), ...(t.strict != null ? { strict: t.strict } : {}) },
    }));
  }
  if (request.tool_choice !== undefined) {
    chat.tool_choice = typeof request.tool_choice === 'string' ? request.tool_choice : { type: 'function', function: { name: request.tool_choice.name } };
  }
  if (request.parallel_tool_calls != null) chat.parallel_tool_calls = request.parallel_tool_calls;
  const format = request.text?.format;
  if (format && format.type !== 'text') {
    chat.response_format =
      format.type === 'json_object'
        ? { type: 'json_object' }
        : { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.description ? { description: format.description } : {}), ...(format.strict != null ? { strict: format.strict } : {}) } };
  }
  if (request.reasoning?.effort) chat.reasoning_effort = request.reasoning.effort;
  return chat;
}

function itemsToMessages(items: readonly InputItem[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const item of items) {
    if (item.type === 'function_call') {
      const call = { id: item.call_id, type: 'function', function: { name: item.name, arguments: item.arguments } };
      // Parallel calls arrive as consecutive items: one assistant turn carries them all, as chat has it.
      const last = messages.at(-1);
      if (last?.role === 'assistant' && last.tool_calls && !last.content) last.tool_calls.push(call);
      else messages.push({ role: 'assistant', content: null, tool_calls: [call] });
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: item.call_id, content: item.output });
    } else {
      messages.push({ role: item.role, content: typeof item.content === 'string' ? item.content : item.content.map(toChatPart) });
    }
  }
  return messages;
}

function toChatPart(part: Exclude<Extract<InputItem, { type: 'message' }>['content'], string>[number]): Part {
  switch (part.type) {
    case 'input_text':
    case 'output_text':
      return { type: 'text', text: part.text };
    case 'input_image':
      return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } };
  }
}
