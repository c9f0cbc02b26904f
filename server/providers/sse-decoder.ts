export interface SseEvent {
  /** The `event:` field; empty when the server sent none (OpenAI never does, Anthropic always does). */
  event: string;
  data: string;
}

/**
 * Parses a server-sent event stream as bytes arrive, yielding each event once its blank line is
 * in: nothing waits for the whole answer. Handles LF, CRLF and lone CR line ends, including a CRLF
 * split across two network packets. An unterminated last event is still yielded: some
 * OpenAI-compatible servers close the stream without the final blank line.
 */
export async function* readSseEvents(body: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder();
  const state: EventState = { event: '', data: [] };
  let buffer = '';
  for await (const bytes of body) {
    buffer += typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true });
    let start = 0;
    for (;;) {
      const end = lineEnd(buffer, start);
      if (end === -1) break;
      const event = takeLine(state, buffer.slice(start, end));
      if (event) yield event;
      start = end + (buffer[end] === '\r' && buffer[end + 1] === '\n' ? 2 : 1);
    }
    buffer = buffer.slice(start);
  }
  buffer += decoder.decode();
  if (buffer) {
    const event = takeLine(state, buffer.replace(/\r$/, ''));
    if (event) yield event;
  }
  const last = takeLine(state, '');
  if (last) yield last;
}

interface EventState {
  event: string;
  data: string[];
}

/** Index of the next line end, or -1 when the line is incomplete (a trailing CR may be half a CRLF). */
function lineEnd(buffer: string, from: number): number {
  for (let i = from; i < buffer.length; i++) {
    const c = buffer.charCodeAt(i);
    if (c === 10) return i;
    if (c === 13) return i + 1 < buffer.length ? i : -1;
  }
  return -1;
}

function takeLine(state: EventState, line: string): SseEvent | null {
  if (line === '') {
    if (state.data.length === 0) {
      state.event = '';
      return null;
    }
    const event = { event: state.event, data: state.data.join('\n') };
    state.event = '';
    state.data = [];
    return event;
  }
  if (line.charCodeAt(0) === 58) return null;
  const colon = line.indexOf(':');
  const field = colon === -1 ? line : line.slice(0, colon);
  let value = colon === -1 ? '' : line.slice(colon + 1);
  if (value.charCodeAt(0) === 32) value = value.slice(1);
  if (field === 'data') state.data.push(value);
  else if (field === 'event') state.event = value;
  return null;
}
