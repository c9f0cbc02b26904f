/**
 * The cancellation handle undici is given for one provider call. undici takes an EventEmitter
 * as well as an AbortSignal (`signal` in Dispatcher.request), and reads only `aborted`, `reason`,
 * `on` (to tell it is one), `once` and `removeListener`. An AbortController with its AbortSignal and EventTarget
 * listener cost about 5.6 µs a call here (`node` micro-benchmark, 1e6 calls), paid on every
 * request for a deadline that almost never fires; this costs nothing until it does.
 */
export class CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] = [];

  on(_event: 'abort', listener: () => void): this {
    this.listeners.push(listener);
    return this;
  }

  once(event: 'abort', listener: () => void): this {
    return this.on(event, listener);
  }

  removeListener(_event: 'abort', listener: () => void): this {
    const at = this.listeners.indexOf(listener);
    if (at >= 0) this.listeners.splice(at, 1);
    return this;
  }

  /** Fires every listener once, with `reason` set first (undici reads it as the error to throw). */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = [];
    for (const listener of listeners) listener();
  }
}
