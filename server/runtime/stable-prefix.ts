import type { ChatCompletionRequest } from '../../shared/api.js';
import { canonicalJson } from '../cache/canonical-json.js';

type Tool = NonNullable<ChatCompletionRequest['tools']>[number];

/**
 * The request reordered so the part that repeats between calls comes first, byte for byte:
 * system and developer messages before the conversation (their own order kept), tools sorted by
 * name with their keys sorted. Automatic prefix caches (OpenAI, Gemini) only match identical
 * leading bytes, and callers often build tool lists from maps whose order drifts. Anthropic's
 * translation already lifts system messages into `system`, so its meaning does not change either.
 */
export function stablePrefixFirst(request: ChatCompletionRequest): ChatCompletionRequest {
  const isSystem = (role: string) => role === 'system' || role === 'developer';
  const system = request.messages.filter((m) => isSystem(m.role));
  const rest = request.messages.filter((m) => !isSystem(m.role));
  const out: ChatCompletionRequest = { ...request, messages: [...system, ...rest] };
  if (request.tools) out.tools = sortTools(request.tools);
  return out;
}

function sortTools(tools: Tool[]): Tool[] {
  return tools
    .map((tool) => ({ name: toolName(tool), tool: JSON.parse(canonicalJson(tool)) as Tool }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((entry) => entry.tool);
}

function toolName(tool: Tool): string {
  const fn = tool.function as { name?: unknown } | undefined;
  return typeof fn?.name === 'string' ? fn.name : typeof tool.name === 'string' ? tool.name : '';
}
