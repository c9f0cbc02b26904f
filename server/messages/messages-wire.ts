import { messageIdOf } from '../../shared/answer-ids.js';
import type { Usage } from '../providers/provider.js';
import type { AnswerWire, StreamWriter } from '../runtime/answer-wire.js';
import type { ChatMessageOut, ChatToolCall } from '../runtime/chat-answer-parts.js';
import { anthropicError } from '../errors/anthropic-error.js';

type Json = Record<string, unknown>;

/**
 * A chat finish reason as a Messages stop reason. Chat does not say which stop sequence ended an
 * answer, so one that did reads as end_turn, with stop_sequence null.
 */
function stopReasonOf(finishReason: unknown, refused: boolean): string | null {
  if (refused || finishReason === 'content_filter') return 'refusal';
  if (finishReason === 'length') return 'max_tokens';
  if (finishReason === 'tool_calls' || finishReason === 'function_call') return 'tool_use';
  return finishReason == null ? null : 'end_turn';
}

/** Anthropic counts cache reads and writes apart from input_tokens; the booked usage counts them in. */
function messageUsage(usage: Usage): Json {
  const write = usage.cacheWriteTokens ?? 0;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedInputTokens - write),
    output_tokens: usage.outputTokens,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: usage.cachedInputTokens,
  };
}

/** Tool arguments are JSON text in chat and an object in a tool_use block; text that is not an object stays readable. */
function toolInput(args: string): Json {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Json;
  } catch {
    // fall through
  }
  return { arguments: args };
}

/** POST /v1/messages: each answer in the Messages API's shape, errors in its error shape. */
export const MESSAGES_WIRE: AnswerWire = {
  whole(body, { usage, requestId }) {
    const choice = (body.choices as { message?: ChatMessageOut; finish_reason?: unknown }[] | undefined)?.[0];
    const message = choice?.message ?? {};
    const content: Json[] = [];
    if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'text', text: message.content });
    const refused = typeof message.refusal === 'string' && message.refusal !== '';
    if (refused) content.push({ type: 'text', text: message.refusal });
    for (const call of message.tool_calls ?? []) content.push({ type: 'tool_use', id: call.id ?? '', name: call.function?.name ?? '', input: toolInput(call.function?.arguments ?? '') });
    return {
      id: messageIdOf(requestId),
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: stopReasonOf(choice?.finish_reason ?? 'stop', refused),
      stop_sequence: null,
      usage: messageUsage(usage),
    };
  },
  stream: ({ requestId, promptTokens }) => new MessagesStream(messageIdOf(requestId), promptTokens),
  // The Messages API has no deferred answers (its Message Batches API is a different resource).
  deferrable: false,
  deferred: () => null,
  error: anthropicError,
};

/**
 * Chat chunks as Messages API events: message_start, then for each run of text and each tool call
 * a content block (start, deltas, stop), then message_delta with the stop reason and the usage,
 * then message_stop.
 */
class MessagesStream implements StreamWriter {
  private started = false;
  private blocks = 0;
  /** The open block: text, or the tool call of this chat index. */
  private open: { index: number; tool: number | null } | null = null;
  private finishReason: unknown = null;
  private refused = false;

  constructor(
    private readonly id: string,
    /** Some clients (Claude Code) read the input tokens from message_start alone; the provider's figure comes only at the end, in message_delta. */
    private readonly promptTokens: number,
  ) {}

  chunk(chunk: Json): string {
    let out = this.start(chunk);
    const choice = (chunk.choices as { delta?: ChatMessageOut; finish_reason?: unknown }[] | undefined)?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') out += this.text(delta.content);
    if (typeof delta.refusal === 'string' && delta.refusal !== '') {
      this.refused = true;
      out += this.text(delta.refusal);
    }
    for (const call of delta.tool_calls ?? []) out += this.toolCall(call);
    if (choice.finish_reason != null) this.finishReason = choice.finish_reason;
    return out;
  }

  broke(message: string): string {
    return this.start({}) + this.event('error', { error: { type: 'api_error', message: `The provider's stream broke off: ${message}`, code: 'stream_interrupted' } });
  }

  end({ usage }: { usage: Usage; costUsd: number | null }): string {
    return (
      this.start({}) +
      this.close() +
      this.event('message_delta', { delta: { stop_reason: stopReasonOf(this.finishReason ?? 'stop', this.refused), stop_sequence: null }, usage: messageUsage(usage) }) +
      this.event('message_stop', {})
    );
  }

  private start(chunk: Json): string {
    if (this.started) return '';
    this.started = true;
    const message = { id: this.id, type: 'message', role: 'assistant', model: chunk.model ?? null, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: this.promptTokens, output_tokens: 0 } };
    return this.event('message_start', { message });
  }

  private text(text: string): string {
    let out = '';
    if (!this.open || this.open.tool !== null) out += this.openBlock(null, { type: 'text', text: '' });
    return out + this.event('content_block_delta', { index: this.open!.index, delta: { type: 'text_delta', text } });
  }

  private toolCall(call: ChatToolCall): string {
    const tool = call.index ?? 0;
    let out = '';
    if (this.open?.tool !== tool) out += this.openBlock(tool, { type: 'tool_use', id: call.id ?? '', name: call.function?.name ?? '', input: {} });
    const args = call.function?.arguments ?? '';
    if (args === '') return out;
    return out + this.event('content_block_delta', { index: this.open!.index, delta: { type: 'input_json_delta', partial_json: args } });
  }

  private openBlock(tool: number | null, block: Json): string {
    const out = this.close();
    this.open = { index: this.blocks++, tool };
    return out + this.event('content_block_start', { index: this.open.index, content_block: block });
  }

  private close(): string {
    if (!this.open) return '';
    const out = this.event('content_block_stop', { index: this.open.index });
    this.open = null;
    return out;
  }

  private event(type: string, data: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
  }
}
