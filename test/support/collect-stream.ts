/** Test helpers for reading a provider's CompletionStream to the end. */
import type { CompletionStream } from '../../server/providers/provider.js';

type Chunk = Record<string, unknown>;

export async function collectChunks(stream: CompletionStream): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of stream.chunks) chunks.push(chunk);
  return chunks;
}

interface ChunkChoice {
  delta?: { content?: string | null; tool_calls?: { index: number; id?: string; function?: { name?: string; arguments?: string } }[] };
  finish_reason?: string | null;
}

/** The text, tool calls and finish reason a client would assemble from chat.completion.chunk objects. */
export function assembleChunks(chunks: Chunk[]): { content: string; toolCalls: { id?: string; name?: string; arguments: string }[]; finishReason: string | null } {
  let content = '';
  let finishReason: string | null = null;
  const toolCalls: { id?: string; name?: string; arguments: string }[] = [];
  for (const chunk of chunks) {
    for (const choice of (chunk.choices ?? []) as ChunkChoice[]) {
      content += choice.delta?.content ?? '';
      for (const call of choice.delta?.tool_calls ?? []) {
        const slot = (toolCalls[call.index] ??= { arguments: '' });
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name = call.function.name;
        slot.arguments += call.function?.arguments ?? '';
      }
      if (choice.finish_reason) finishReason = choice.finish_reason;
    }
  }
  return { content, toolCalls, finishReason };
}
