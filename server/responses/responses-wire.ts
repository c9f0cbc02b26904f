import { responseIdOf } from '../../shared/answer-ids.js';
import type { ResponsesRequest } from '../../shared/responses-api.js';
import type { Usage } from '../providers/provider.js';
import type { AnswerWire, StreamWriter } from '../runtime/answer-wire.js';
import type { ChatMessageOut, ChatToolCall } from '../runtime/chat-answer-parts.js';
import { usageFromOpenAI } from '../providers/openai-usage.js';

type Json = Record<string, unknown>;

/** Builds a response object around the parts that change; the request's settings are filled in. */
type ResponseOf = (o: { id: string; created: number; model: unknown; output: Json[]; usage: Json | null; finishReason?: unknown; inProgress?: boolean }) => Json;

/** The Responses API's usage block from the booked usage (the provider's, else counted). */
function responseUsage(usage: Usage): Json {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** A chat answer cut at max_tokens is an incomplete response, as the Responses API reports one. */
function statusOf(finishReason: unknown): { status: 'completed' | 'incomplete'; incomplete_details: Json | null } {
  return finishReason === 'length' ? { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } : { status: 'completed', incomplete_details: null };
}

/** How an answered response is kept: the id it continues, and what keeps it (null: not kept). */
export interface KeptTurn {
  previousId: string | null;
  /**
   * `pending`: a background response as accepted, its answer still in the batch lane. Returns the
   * write still under way, if any (ResponseStore.put), which the answer waits for.
   */
  remember: ((response: Json, o?: { pending: true }) => Promise<void> | null) | null;
}

const NOT_KEPT: KeptTurn = { previousId: null, remember: null };

/**
 * POST /v1/responses: each answer in the Responses API's shape, the request's settings echoed as
 * OpenAI echoes them (a background response read back later has only its defaults to echo). An
 * answered response (whole or a complete stream) is handed to `kept.remember`.
 */
export function responsesWire(request: Partial<ResponsesRequest>, kept: KeptTurn = NOT_KEPT): AnswerWire {
  const echo = {
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    temperature: request.temperature ?? null,
    top_p: request.top_p ?? null,
    tools: request.tools ?? [],
    tool_choice: request.tool_choice ?? 'auto',
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    text: { format: request.text?.format ?? { type: 'text' } },
    reasoning: { effort: request.reasoning?.effort ?? null },
    metadata: request.metadata ?? {},
    user: request.user ?? null,
    background: request.background ?? false,
    store: kept.remember !== null,
    previous_response_id: kept.previousId,
    error: null,
  };
  const response: ResponseOf = (o) => ({
    id: o.id,
    object: 'response',
    created_at: o.created,
    ...(o.inProgress ? { status: 'in_progress', incomplete_details: null } : statusOf(o.finishReason)),
    model: o.model,
    output: o.output,
    usage: o.usage,
    ...echo,
  });
  // The kept record's write still under way, for written().
  let writing: Promise<void> | null = null;
  const keep = kept.remember;
  const remember = keep
    ? (shown: Json, o?: { pending: true }) => {
        writing = keep(shown, o);
      }
    : null;
  const answered = (body: Json, usage: Usage, requestId: string): Json => {
    const choice = (body.choices as { message?: ChatMessageOut; finish_reason?: unknown }[] | undefined)?.[0];
    const id = responseIdOf(requestId);
    return response({ id, created: Number(body.created) || Math.floor(Date.now() / 1000), model: body.model, output: outputItems(id, choice?.message ?? {}), usage: responseUsage(usage), finishReason: choice?.finish_reason });
  };
  return {
    whole(body, { usage, requestId }) {
      const shaped = answered(body, usage, requestId);
      remember?.(shaped);
      return shaped;
    },
    stream: ({ requestId }) => new ResponsesStream(responseIdOf(requestId), response, remember),
    written: () => writing,
    deferrable: true,
    keepsDeferred: kept.remember !== null,
    /**
     * A batch-lane job as a background response: queued until its batch is sent, in_progress while
     * the provider works on it, then completed (the chat answer as a response) or failed.
     */
    deferred({ job, status, answer }) {
      const skeleton = (shown: string) => ({
        ...response({ id: responseIdOf(job.id), created: Math.floor(Date.parse(job.acceptedAt) / 1000), model: job.model, output: [], usage: null, inProgress: true }),
        status: shown,
        background: true,
      });
      if (status === 'queued' || status === 'submitted') {
        const shown = skeleton(status === 'queued' ? 'queued' : 'in_progress');
        // Kept as accepted (when asked to keep it), and completed from the job once it has answered: see background-turn.ts.
        remember?.(shown, { pending: true });
        return shown;
      }
      if (!answer?.ok) return { ...skeleton('failed'), error: { code: 'server_error', message: answer?.error ?? 'the batch request failed' } };
      const usage = answer.usage ?? usageFromOpenAI(answer.body.usage) ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
      return { ...answered(answer.body, usage, job.id), background: true };
    },
    error: (_status, body) => body,
  };
}

/** The output items of a whole chat message: its text (or refusal) as one message, then each tool call. */
function outputItems(id: string, message: ChatMessageOut): Json[] {
  const items: Json[] = [];
  const content: Json[] = [];
  if (typeof message.content === 'string' && message.content !== '') content.push({ type: 'output_text', text: message.content, annotations: [] });
  if (typeof message.refusal === 'string' && message.refusal !== '') content.push({ type: 'refusal', refusal: message.refusal });
  if (content.length > 0 || !message.tool_calls?.length) items.push({ type: 'message', id: `msg_${id.slice(5)}`, status: 'completed', role: 'assistant', content });
  message.tool_calls?.forEach((call, i) => items.push(functionCallItem(id, i, call.id ?? '', call.function?.name ?? '', call.function?.arguments ?? '', 'completed')));
  return items;
}

function functionCallItem(id: string, index: number, callId: string, name: string, args: string, status: string): Json {
  return { type: 'function_call', id: `fc_${id.slice(5)}_${index}`, call_id: callId, name, arguments: args, status };
}

interface OpenCall {
  outputIndex: number;
  itemId: string;
  callId: string;
  name: string;
  arguments: string;
}

/**
 * Chat chunks as Responses API events: created and in_progress first, then for the text one
 * message item (added, content part added, text deltas, done), for each tool call a function_call
 * item (added, argument deltas, done), and last completed (or incomplete) with the usage.
 */
class ResponsesStream implements StreamWriter {
  private sequence = 0;
  private started = false;
  private created = Math.floor(Date.now() / 1000);
  private model: unknown = null;
  private finishReason: unknown = null;
  private readonly output: Json[] = [];
  private text: { outputIndex: number; itemId: string; text: string; hasPart: boolean } | null = null;
  private refusal = '';
  private readonly calls = new Map<number, OpenCall>();

  constructor(
    private readonly id: string,
    private readonly response: ResponseOf,
    private readonly remember: ((response: Json) => void) | null,
  ) {}

  chunk(chunk: Json): string {
    let out = this.start(chunk);
    const choice = (chunk.choices as { delta?: ChatMessageOut & { role?: string }; finish_reason?: unknown }[] | undefined)?.[0];
    if (!choice) return out;
    const delta = choice.delta ?? {};
    if (typeof delta.content === 'string' && delta.content !== '') out += this.textDelta(delta.content);
    if (typeof delta.refusal === 'string') this.refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) out += this.callDelta(call);
    if (choice.finish_reason != null) this.finishReason = choice.finish_reason;
    return out;
  }

  /** As OpenAI ends a stream that fails: an error event, then the response as failed (what was streamed is not kept). */
  broke(message: string): string {
    const text = `The provider's stream broke off: ${message}`;
    const failed = { ...this.response({ id: this.id, created: this.created, model: this.model, output: [], usage: null, inProgress: true }), status: 'failed', error: { code: 'server_error', message: text } };
    return this.start({}) + this.event('error', { code: 'stream_interrupted', message: text, param: null }) + this.event('response.failed', { response: failed });
  }

  end({ usage }: { usage: Usage; costUsd: number | null }): string {
    let out = this.start({});
    out += this.closeText();
    for (const call of this.calls.values()) {
      const item = functionCallItem(this.id, call.outputIndex, call.callId, call.name, call.arguments, 'completed');
      item.id = call.itemId;
      this.output[call.outputIndex] = item;
      out += this.event('response.function_call_arguments.done', { item_id: call.itemId, output_index: call.outputIndex, arguments: call.arguments });
      out += this.event('response.output_item.done', { output_index: call.outputIndex, item });
    }
    const final = this.response({ id: this.id, created: this.created, model: this.model, output: this.output, usage: responseUsage(usage), finishReason: this.finishReason });
    this.remember?.(final);
    return out + this.event(final.status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final });
  }

  private start(chunk: Json): string {
    if (this.started) return '';
    this.started = true;
    if (typeof chunk.created === 'number') this.created = chunk.created;
    this.model = chunk.model ?? null;
    const skeleton = this.response({ id: this.id, created: this.created, model: this.model, output: [], usage: null, inProgress: true });
    return this.event('response.created', { response: skeleton }) + this.event('response.in_progress', { response: skeleton });
  }

  /** Adds the answer's message item; with `text`, also its output_text part, which deltas then fill. */
  private openMessage(text: boolean): string {
    const itemId = `msg_${this.id.slice(5)}`;
    this.text = { outputIndex: this.output.length, itemId, text: '', hasPart: text };
    const item = { type: 'message', id: itemId, status: 'in_progress', role: 'assistant', content: [] };
    this.output.push(item);
    let out = this.event('response.output_item.added', { output_index: this.text.outputIndex, item });
    if (text) out += this.event('response.content_part.added', { item_id: itemId, output_index: this.text.outputIndex, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } });
    return out;
  }

  private textDelta(delta: string): string {
    const out = this.text ? '' : this.openMessage(true);
    const text = this.text!;
    text.text += delta;
    return out + this.event('response.output_text.delta', { item_id: text.itemId, output_index: text.outputIndex, content_index: 0, delta });
  }

  /** Closes the message item: the streamed text, a refusal, or empty when the answer is nothing else (no tool calls). */
  private closeText(): string {
    let out = !this.text && (this.refusal || this.calls.size === 0) ? this.openMessage(false) : '';
    if (!this.text) return out;
    const { itemId, outputIndex, text, hasPart } = this.text;
    const content: Json[] = [];
    if (hasPart) {
      const part = { type: 'output_text', text, annotations: [] };
      content.push(part);
      out += this.event('response.output_text.done', { item_id: itemId, output_index: outputIndex, content_index: 0, text });
      out += this.event('response.content_part.done', { item_id: itemId, output_index: outputIndex, content_index: 0, part });
    }
    if (this.refusal) content.push({ type: 'refusal', refusal: this.refusal });
    const item = { type: 'message', id: itemId, status: 'completed', role: 'assistant', content };
    this.output[outputIndex] = item;
    return out + this.event('response.output_item.done', { output_index: outputIndex, item });
  }

  private callDelta(call: ChatToolCall): string {
    const index = call.index ?? 0;
    let open = this.calls.get(index);
    let out = '';
    if (!open) {
      open = { outputIndex: this.output.length, itemId: `fc_${this.id.slice(5)}_${index}`, callId: call.id ?? '', name: call.function?.name ?? '', arguments: '' };
      this.calls.set(index, open);
      const item = functionCallItem(this.id, index, open.callId, open.name, '', 'in_progress');
      item.id = open.itemId;
      this.output.push(item);
      out += this.event('response.output_item.added', { output_index: open.outputIndex, item });
    }
    const args = call.function?.arguments ?? '';
    if (args === '') return out;
    open.arguments += args;
    return out + this.event('response.function_call_arguments.delta', { item_id: open.itemId, output_index: open.outputIndex, delta: args });
  }

  private event(type: string, data: Json): string {
    return `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: this.sequence++, ...data })}\n\n`;
  }
}
