import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletionRequest } from '../../shared/api.js';
import type { ProviderName } from '../../shared/providers.js';
import type { CallOptions, Completion, CompletionStream, PromptCacheCall, Provider } from './provider.js';
import { ProviderError } from './provider.js';

/** One route target with its provider resolved: the route first, then its onError fallbacks in order. */
export interface ResolvedTarget {
  node: string;
  model: string;
  provider: Provider;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  promptCache?: PromptCacheCall;
}

export interface Attempt {
  node: string;
  model: string;
  provider: ProviderName;
  ok: boolean;
  error?: string;
  status?: number;
}

interface RouteSuccess {
  target: ResolvedTarget;
  attempts: Attempt[];
}
export type CompletionRouteResult = RouteSuccess & { completion: Completion; stream?: undefined };
export type StreamRouteResult = RouteSuccess & { stream: CompletionStream; completion?: undefined };
export type RouteResult = CompletionRouteResult | StreamRouteResult;

export interface CallRouteOptions {
  stream: boolean;
  signal?: AbortSignal;
  /** A Retry-After longer than this (or than the target's timeout) moves on to the next target instead of waiting. */
  maxRetryAfterMs?: number;
  /** How to wait between attempts; tests pass a recorder. Must reject when the signal aborts. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 10_000;

export class RouteFailedError extends Error {
  constructor(
    readonly attempts: Attempt[],
    readonly lastError: ProviderError,
  ) {
    super(`route failed after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}: ${lastError.message}`);
    this.name = 'RouteFailedError';
  }
}

/**
 * Statuses that mean the request itself is wrong: another model would refuse it too, so the
 * provider's answer goes back to the caller without retries or fallbacks. Other
 * non-retryable 4xx (401, 403, 404: this provider's key or model is wrong) skip to the next target.
 */
const CALLER_FAULT = new Set([400, 413, 415, 422]);

const defaultWait = (ms: number, signal?: AbortSignal): Promise<void> => sleep(ms, undefined, { signal });

/**
 * Calls the targets in order. Each gets 1 + retries attempts on retryable errors, waiting
 * backoffMs, then twice that, and so on, or the provider's Retry-After when it is longer.
 * Only failures before the first chunk count for streams; a stream that breaks later is the
 * caller's to report, since bytes have already gone out.
 */
export function callRoute(targets: ResolvedTarget[], request: ChatCompletionRequest, options: CallRouteOptions & { stream: false }): Promise<CompletionRouteResult>;
export function callRoute(targets: ResolvedTarget[], request: ChatCompletionRequest, options: CallRouteOptions & { stream: true }): Promise<StreamRouteResult>;
export function callRoute(targets: ResolvedTarget[], request: ChatCompletionRequest, options: CallRouteOptions): Promise<RouteResult>;
export async function callRoute(targets: ResolvedTarget[], request: ChatCompletionRequest, options: CallRouteOptions): Promise<RouteResult> {
  const { target, attempts, value } = await callTargets(
    targets,
    async (provider, call) => (options.stream ? { stream: await provider.stream(request, call) } : { completion: await provider.complete(request, call) }),
    options,
  );
  return { target, attempts, ...value } as RouteResult;
}

/** One call of a target's provider: chat (callRoute), embeddings, or whatever else is asked of it. */
export type TargetCall<T> = (provider: Provider, call: CallOptions) => Promise<T>;

/** The targets in order, with retries and backoff as callRoute has them, for any call; the value of the first that answers. */
export async function callTargets<T>(targets: ResolvedTarget[], attempt: TargetCall<T>, options: Omit<CallRouteOptions, 'stream'>): Promise<RouteSuccess & { value: T }> {
  const attempts: Attempt[] = [];
  const wait = options.wait ?? defaultWait;
  const maxRetryAfter = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  // Built only on failure: an Error's stack trace is costly on a path every request takes.
  let lastError: ProviderError | null = null;

  for (const target of targets) {
    const base = { node: target.node, model: target.model, provider: target.provider.name };
    for (let tried = 0; tried <= target.retries; tried++) {
      const call = {
        model: target.model,
        timeoutMs: target.timeoutMs,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(target.promptCache ? { promptCache: target.promptCache } : {}),
      };
      try {
        const value = await attempt(target.provider, call);
        attempts.push({ ...base, ok: true });
        return { target, attempts, value };
      } catch (thrown) {
        const error = asProviderError(thrown, options.signal);
        lastError = error;
        attempts.push({ ...base, ok: false, error: error.message, ...(error.status === null ? {} : { status: error.status }) });
        if (error.kind === 'cancelled') throw new RouteFailedError(attempts, error);
        if (error.kind === 'http' && error.status !== null && CALLER_FAULT.has(error.status)) throw new RouteFailedError(attempts, error);
        if (!error.retryable || tried === target.retries) break;
        const delay = retryDelay({ target, attempt: tried, error, capMs: Math.min(maxRetryAfter, target.timeoutMs) });
        if (delay === null) break;
        try {
          await wait(delay, options.signal);
        } catch {
          throw new RouteFailedError(attempts, new ProviderError('call cancelled while waiting to retry', 'cancelled'));
        }
      }
    }
  }
  throw new RouteFailedError(attempts, lastError ?? new ProviderError('the route has no targets', 'not-configured'));
}

/** Exponential backoff, or Retry-After when longer; null when Retry-After is past the cap (try the next target now). */
export function retryDelay({ target, attempt, error, capMs }: { target: Pick<ResolvedTarget, 'backoffMs'>; attempt: number; error: ProviderError; capMs: number }): number | null {
  const backoff = target.backoffMs * 2 ** attempt;
  if (error.retryAfterMs === null) return backoff;
  if (error.retryAfterMs > capMs) return null;
  return Math.max(backoff, error.retryAfterMs);
}

function asProviderError(thrown: unknown, signal: AbortSignal | undefined): ProviderError {
  if (signal?.aborted) return new ProviderError('call cancelled', 'cancelled');
  if (thrown instanceof ProviderError) return thrown;
  return new ProviderError(thrown instanceof Error ? thrown.message : String(thrown), 'protocol');
}
