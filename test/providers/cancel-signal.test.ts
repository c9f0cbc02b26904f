import { describe, expect, it } from 'vitest';
import { CancelSignal } from '../../server/providers/cancel-signal.js';

describe('CancelSignal', () => {
  it('sets the reason before its listeners run, runs each once, and ignores a second abort', () => {
    const signal = new CancelSignal();
    const seen: unknown[] = [];
    signal.once('abort', () => seen.push(['first', signal.aborted, signal.reason]));
    signal.on('abort', () => seen.push(['second', signal.reason]));
    signal.abort('deadline');
    signal.abort('again');
    expect(seen).toEqual([
      ['first', true, 'deadline'],
      ['second', 'deadline'],
    ]);
    expect(signal.reason).toBe('deadline');
  });

  it('does not call a listener removed before the abort', () => {
    const signal = new CancelSignal();
    let called = 0;
    const listener = () => called++;
    signal.once('abort', listener);
    signal.removeListener('abort', listener);
    signal.abort('deadline');
    expect(called).toBe(0);
    expect(signal.aborted).toBe(true);
  });
});
