import { parentPort } from 'node:worker_threads';
import type { WorkerReply } from '../workers/supervised-worker.js';
import type { TokenCountRequest } from './token-count-protocol.js';
import { countTextTokensUncached } from './tokens.js';

/**
 * Large prompts counted on their own thread: 4 MB of prose is about 120 ms of tokenizer work,
 * 4 MB of random letters about 5 s and of random printable characters (a base64 blob) 11–14 s, which on
 * the event loop would hold every other caller's request for as long.
 */
parentPort!.on('message', ({ id, texts }: TokenCountRequest) => {
  parentPort!.postMessage({ replies: [{ id, answer: texts.map(countTextTokensUncached) }] } satisfies WorkerReply<number[] | null>);
});
// The tokenizer builds its merge tables on first use; built here, before the first deadline runs.
countTextTokensUncached('warm the tokenizer');
parentPort!.postMessage({ ready: true } satisfies WorkerReply<number[] | null>);
