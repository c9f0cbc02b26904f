/**
 * Rebuilds a chat.completion from the chunks a stream sent, so a streamed answer can be
 * cached and costed like a complete one. Answers with tool calls are not assembled (null).
 */
export class StreamAssembler {
  private text = '';
  private id = '';
  private model = '';
  private created = 0;
  private finishReason: string | null = null;
  private hasToolCalls = false;

  add(chunk: Record<string, unknown>): void {
    this.id ||= String(chunk.id ?? '');
    this.model ||= String(chunk.model ?? '');
    this.created ||= Number(chunk.created ?? 0);
    const choice = (chunk.choices as { delta?: { content?: string | null; tool_calls?: unknown }; finish_reason?: string | null }[] | undefined)?.[0];
    if (!choice) return;
    if (typeof choice.delta?.content === 'string') this.text += choice.delta.content;
    if (choice.delta?.tool_calls) this.hasToolCalls = true;
    if (choice.finish_reason) this.finishReason = choice.finish_reason;
  }

  get content(): string {
    return this.text;
  }

  /** The complete answer, or null when it was cut short or used tools. */
  completion(usage: { inputTokens: number; outputTokens: number } | null): Record<string, unknown> | null {
    if (this.hasToolCalls || !this.finishReason) return null;
    return {
      id: this.id,
      object: 'chat.completion',
      created: this.created,
      model: this.model,
      choices: [{ index: 0, message: { role: 'assistant', content: this.text }, finish_reason: this.finishReason, logprobs: null }],
      ...(usage
        ? { usage: { prompt_tokens: usage.inputTokens, completion_tokens: usage.outputTokens, total_tokens: usage.inputTokens + usage.outputTokens } }
        : {}),
    };
  }
}
