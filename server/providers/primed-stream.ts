import type { CompletionStream, Usage } from './provider.js';

type Chunk = Record<string, unknown>;

/**
 * Waits for the first chunk of `source` before handing the stream out, so errors before any
 * byte reaches the caller (refused, 5xx, timeout, an error event first) reject here and the
 * route can still fall back. Later errors surface from the `chunks` iterator.
 */
export async function primeStream(
  source: AsyncGenerator<Chunk, void>,
  usage: () => Usage | null,
  cancel: () => void,
): Promise<CompletionStream> {
  const first = await source.next();
  async function* chunks(): AsyncGenerator<Chunk, void> {
    if (first.done) return;
    yield first.value;
    yield* source;
  }
  return {
    chunks: chunks(),
    usage,
    cancel: () => {
      cancel();
      void source.return(undefined).catch(() => undefined);
    },
  };
}
