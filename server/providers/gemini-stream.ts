import type { Usage } from './provider.js';
import { candidateContent, geminiFinishReason, streamError, usageFromGemini, type GeminiCandidate } from './gemini-response.js';
import { usageToOpenAI } from './openai-usage.js';

type Json = Record<string, unknown>;

/**
 * Turns `streamGenerateContent?alt=sse` events (each a partial GenerateContentResponse) into
 * chat.completion.chunk objects: a role chunk first, then text and tool-call chunks, a
 * finish_reason chunk when a candidate says why it stopped, and a final usage chunk (choices
 * empty, as OpenAI's include_usage sends). Gemini sends no end marker: the body's end is the end.
 */
export class GeminiChunkTranslator {
  finished = false;
  private started = false;
  private toolCalls = 0;
  private rawUsage: unknown = null;
  private readonly created = Math.floor(Date.now() / 1000);
  private id = 'gemini';

  constructor(private model: string) {}

  usage(): Usage | null {
    return usageFromGemini(this.rawUsage);
  }

  translate(event: Json): Json[] {
    if (event.error) throw streamError(event as { error?: { code?: number; message?: string; status?: string } });
    if (typeof event.responseId === 'string') this.id = event.responseId;
    if (typeof event.modelVersion === 'string') this.model = event.modelVersion;
    if (event.usageMetadata) this.rawUsage = event.usageMetadata;
    const out: Json[] = [];
    if (!this.started) {
      this.started = true;
      out.push(this.chunk({ role: 'assistant', content: '' }));
    }
    const candidate = (event.candidates as GeminiCandidate[] | undefined)?.[0];
    const { text, toolCalls } = candidateContent(candidate, this.toolCalls);
    if (text) out.push(this.chunk({ content: text }));
    for (const call of toolCalls) out.push(this.chunk({ tool_calls: [{ index: this.toolCalls++, ...call }] }));
    const reason = geminiFinishReason(candidate?.finishReason, this.toolCalls > 0);
    if (reason) {
      this.finished = true;
      out.push(this.chunk({}, reason));
    }
    return out;
  }

  /** The usage chunk that closes the stream, once the body ended. */
  end(): Json[] {
    const usage = this.usage();
    return usage ? [this.frame([], { usage: usageToOpenAI(usage) })] : [];
  }

  private chunk(delta: Json, reason: string | null = null): Json {
    return this.frame([{ index: 0, delta, logprobs: null, finish_reason: reason }]);
  }

  private frame(choices: Json[], extra: Json = {}): Json {
    return { id: this.id, object: 'chat.completion.chunk', created: this.created, model: this.model, choices, ...extra };
  }
}
