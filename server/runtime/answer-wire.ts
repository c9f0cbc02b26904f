import { formatUsd } from '../../shared/cost.js';
import { formatSse, SSE_DONE } from '../providers/openai-sse.js';
import type { OpenAIError } from '../../shared/api.js';
import type { JobState } from '../batch/batch-job.js';
import type { Usage } from '../providers/provider.js';

type Json = Record<string, unknown>;

/** One streamed answer in a surface's own events, written from the chat chunks the pipeline carries. */
export interface StreamWriter {
  /** The bytes for one chat chunk ('' for none). */
  chunk(chunk: Json): string;
  /** The provider's stream broke off after bytes went out: the error event, before the connection ends. */
  broke(message: string): string;
  /** The end of a complete stream; a null cost leaves out the cost comment (a cache hit costs nothing). */
  end(o: { usage: Usage; costUsd: number | null }): string;
}

/**
 * How an answer goes back to its caller. The pipeline (decision, cache, providers, ledger) speaks
 * chat completions; a surface that speaks another shape (the Responses API, Anthropic's Messages API) turns the answer into
 * its own at the last step, so caching, booking and checks stay one code path.
 */
export interface AnswerWire {
  /** A whole answer's body for the caller; null: the chat completion as it is (its raw bytes when it has them). */
  whole(body: Json, o: { usage: Usage; requestId: string }): Json | null;
  /** `promptTokens`: the pipeline's count of the prompt, for a surface that must say it before the provider's usage arrives. */
  stream(o: { requestId: string; promptTokens: number }): StreamWriter;
  /** Whether this surface can show a deferred answer; one that cannot is never sent to the batch lane. */
  deferrable: boolean;
  /** A request the batch lane took, as this surface shows a job; null: the 202 job view of chat completions. */
  deferred(state: JobState): Json | null;
  /** Whether a deferred answer is kept by this surface (a stored background response), so its job is not read back on its own. */
  keepsDeferred?: boolean;
  /** An error answer (a refusal, a failed route) in this surface's error shape. */
  error(status: number, body: OpenAIError): Json;
  /** The write of the record this surface keeps of the answer just shaped, while it is under way: the answer goes out once it is done. */
  written?(): Promise<void> | null;
}

/**
 * Sends an answer once the surface's record of it is kept (a large kept response is written off
 * the event loop), so an acknowledged answer is never lost to a crash; at once when nothing is
 * being written.
 */
export function onceKept(wire: AnswerWire, send: () => void): void {
  const writing = wire.written?.();
  if (writing) void writing.then(send);
  else send();
}

const chatStream: StreamWriter = {
  chunk: formatSse,
  broke: (message) => formatSse({ error: { message: `The provider's stream broke off: ${message}`, type: 'upstream_error', param: null, code: 'stream_interrupted' } }),
  end: ({ costUsd }) => (costUsd === null ? SSE_DONE : `: tollgate cost_usd=${formatUsd(costUsd)}\n\n${SSE_DONE}`),
};

/** POST /v1/chat/completions: the pipeline's own shape. */
export const CHAT_WIRE: AnswerWire = { whole: () => null, stream: () => chatStream, deferrable: true, deferred: () => null, error: (_status, body) => body };
