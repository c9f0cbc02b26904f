import type { ProviderName } from '../../shared/providers.js';
import { CancelSignal } from './cancel-signal.js';
import { ProviderError } from './provider.js';

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/**
 * One HTTP call's deadline and cancellation. The timer covers whatever the provider decides
 * (the whole body for complete(), headers and the first chunk for streams); the caller's signal
 * stays linked until finish(), so a client that goes away mid-stream still frees the socket.
 */
export class UpstreamCall {
  private readonly cancel = new CancelSignal();
  private timer: NodeJS.Timeout | undefined;
  private timedOut = false;
  private readonly onOuterAbort = (): void => this.abort();

  constructor(
    readonly provider: ProviderName,
    private readonly timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    if (outer?.aborted) {
      this.abort();
      return;
    }
    outer?.addEventListener('abort', this.onOuterAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.cancel.abort(this.timeoutError());
    }, timeoutMs);
  }

  get signal(): CancelSignal {
    return this.cancel;
  }

  /** The deadline no longer applies (the body or the first chunk arrived). */
  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  finish(): void {
    this.stopTimer();
    this.outer?.removeEventListener('abort', this.onOuterAbort);
  }

  abort(): void {
    this.finish();
    if (!this.cancel.aborted) this.cancel.abort(new ProviderError(`${this.provider} call cancelled`, 'cancelled'));
  }

  /** Maps whatever undici or a parser threw into a ProviderError, judging by why the call ended. */
  toError(error: unknown): ProviderError {
    if (this.timedOut) return this.timeoutError();
    if (error instanceof ProviderError) return error;
    if (this.cancel.aborted) return new ProviderError(`${this.provider} call cancelled`, 'cancelled');
    const code = errorCode(error);
    if (code && TIMEOUT_CODES.has(code)) return new ProviderError(`${this.provider} timed out (${code})`, 'timeout');
    const detail = code ?? (error instanceof Error ? error.message : String(error));
    return new ProviderError(`${this.provider} connection failed: ${detail}`, 'network');
  }

  private timeoutError(): ProviderError {
    return new ProviderError(`${this.provider} did not answer within ${this.timeoutMs} ms`, 'timeout');
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string') return code;
  return cause === undefined ? undefined : errorCode(cause);
}
