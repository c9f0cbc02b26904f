import type { Usage } from './provider.js';
import { finishReason, streamErrorEvent, usageFromAnthropic } from './anthropic-response.js';
import { usageToOpenAI } from './openai-usage.js';

type Json = Record<string, unknown>;

interface StreamEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: unknown };
  content_block?: { type?: string; id?: string; name?: string; text?: string };
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: unknown };
  usage?: unknown;
  error?: { type?: string; message?: string };
}

/**
 * Turns one Messages stream's events into chat.completion.chunk objects, in order:
 * message_start → role chunk; text deltas → content chunks; a tool_use block → a tool_calls chunk
 * with id and name, its input_json_delta pieces → argument chunks at the same tool index;
 * message_delta → finish_reason chunk; message_stop → a final usage chunk (choices empty, as
 * OpenAI's include_usage sends). One instance per stream: it keeps the block → tool index map.
 */
export class AnthropicChunkTranslator {
  done = false;
  private id = 'msg';
  private model = '';
  private readonly created = Math.floor(Date.now() / 1000);
  private readonly toolIndex = new Map<number, number>();
  private rawUsage: Json = {};

  usage(): Usage | null {
    return Object.keys(this.rawUsage).length > 0 ? usageFromAnthropic(this.rawUsage) : null;
  }

  /** The chunks one event yields (often none); throws a ProviderError for an `error` event. */
  translate(event: StreamEvent): Json[] {
    switch (event.type) {
      case 'message_start':
        this.id = event.message?.id ?? this.id;
        this.model = event.message?.model ?? this.model;
        this.addUsage(event.message?.usage);
        return [this.chunk({ role: 'assistant', content: '' })];
      case 'content_block_start':
        return this.blockStart(event);
      case 'content_block_delta':
        return this.blockDelta(event);
      case 'message_delta': {
        this.addUsage(event.usage);
        const reason = finishReason(event.delta?.stop_reason);
        return reason ? [this.chunk({}, reason)] : [];
      }
      case 'message_stop': {
        this.done = true;
        const usage = this.usage();
        return usage ? [this.frame([], { usage: usageToOpenAI(usage) })] : [];
      }
      case 'error':
        throw streamErrorEvent(event);
      default:
        return [];
    }
  }

  private blockStart(event: StreamEvent): Json[] {
    const block = event.content_block;
    if (block?.type === 'text') return block.text ? [this.chunk({ content: block.text })] : [];
    if (block?.type !== 'tool_use') return [];
    const index = this.toolIndex.size;
    this.toolIndex.set(event.index ?? index, index);
    return [this.chunk({ tool_calls: [{ index, id: block.id, type: 'function', function: { name: block.name, arguments: '' } }] })];
  }

  private blockDelta(event: StreamEvent): Json[] {
    const delta = event.delta;
    if (delta?.type === 'text_delta' && delta.text) return [this.chunk({ content: delta.text })];
    if (delta?.type === 'input_json_delta' && delta.partial_json) {
      const index = this.toolIndex.get(event.index ?? -1);
      if (index === undefined) return [];
      return [this.chunk({ tool_calls: [{ index, function: { arguments: delta.partial_json } }] })];
    }
    return [];
  }

  /** message_delta usage is cumulative, so later values replace earlier ones field by field. */
  private addUsage(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    for (const [key, value] of Object.entries(raw)) if (typeof value === 'number') this.rawUsage[key] = value;
  }

  private chunk(delta: Json, reason: string | null = null): Json {
    return this.frame([{ index: 0, delta, logprobs: null, finish_reason: reason }]);
  }

  private frame(choices: Json[], extra: Json = {}): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices, ...extra };
  }
}
