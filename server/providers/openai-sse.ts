type Json = Record<string, unknown>;

export const SSE_DONE = 'data: [DONE]\n\n';

/** One chat.completion.chunk (or any object) as an SSE event, the way OpenAI frames them. */
export function formatSse(obj: unknown): string {
  return `data: ${JSON.stringify(obj)}\n\n`;
}

interface CompletionChoice {
  index?: number;
  message?: { role?: string; content?: unknown; refusal?: unknown; tool_calls?: unknown };
  finish_reason?: unknown;
}

/**
 * Replays a non-stream chat.completion (a cache hit) as the chunk sequence a streaming call
 * would have produced: role, content, tool calls, finish reason, then usage when the body has it.
 */
export function completionToChunks(body: Json): Json[] {
  const head = {
    id: body.id ?? 'chatcmpl-replay',
    object: 'chat.completion.chunk',
    created: body.created ?? Math.floor(Date.now() / 1000),
    model: body.model,
    ...(body.system_fingerprint === undefined ? {} : { system_fingerprint: body.system_fingerprint }),
  };
  const chunk = (index: number, delta: Json, finishReason: unknown = null): Json => ({
    ...head,
    choices: [{ index, delta, logprobs: null, finish_reason: finishReason }],
  });
  const chunks: Json[] = [];
  const choices = Array.isArray(body.choices) ? (body.choices as CompletionChoice[]) : [];
  for (const [position, choice] of choices.entries()) {
    const index = choice.index ?? position;
    const message = choice.message ?? {};
    chunks.push(chunk(index, { role: message.role ?? 'assistant', content: '' }));
    if (typeof message.content === 'string' && message.content !== '') chunks.push(chunk(index, { content: message.content }));
    if (typeof message.refusal === 'string' && message.refusal !== '') chunks.push(chunk(index, { refusal: message.refusal }));
    if (Array.isArray(message.tool_calls) && message.tool_calls.length > 0) {
      const toolCalls = (message.tool_calls as Json[]).map((call, i) => ({ index: i, ...call }));
      chunks.push(chunk(index, { tool_calls: toolCalls }));
    }
    chunks.push(chunk(index, {}, choice.finish_reason ?? 'stop'));
  }
  if (body.usage) chunks.push({ ...head, choices: [], usage: body.usage });
  return chunks;
}
