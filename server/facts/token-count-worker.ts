import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from '../workers/supervised-worker.js';
import type { TokenCountRequest } from './token-count-protocol.js';
import { countTextTokensUncached } from './tokens.js';

/**
 * Large prompts counted on their own thread: a 4 MB body of prose is about half a second of
 * tokenizer work and one of a long run of letters about four, which on the event loop would hold
 * every other caller's request for as long.
 */
parentPort!.on('message', ({ id, texts }: TokenCountRequest) => {
  parentPort!.postMessage({ replies: [{ id, answer: texts.map(countTextTokensUncached) }] } satisfies WorkerReply<number[] | null>);
});
// The tokenizer builds its merge tables on first use; built here, before the first deadline runs.
countTextTokensUncached('warm the tokenizer');
parentPort!.postMessage({ ready: true } satisfies WorkerReply<number[] | null>);
