import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { createPairVerifier, shippedVerifier, VerifierWeightsSchema } from './pair-verifier.js';
import { SemanticIndex } from './semantic-index.js';
import type { SemanticMatch } from './semantic-matcher.js';
import type { WorkerBoot, WorkerReply } from '../workers/supervised-worker.js';
import type { IndexBatch, IndexWorkerData } from './semantic-worker-protocol.js';

/**
 * The semantic index on its own thread: parsing questions, finding candidates and scoring them
 * with the verifier is the CPU of a semantic lookup (0.6 ms typical, several ms at the tail with
 * 100,000 entries), which would otherwise hold every other request on the event loop.
 */
const data = ((workerData as WorkerBoot).data ?? {}) as IndexWorkerData;
const verifier = data.weightsFile ? createPairVerifier(VerifierWeightsSchema.parse(JSON.parse(readFileSync(data.weightsFile, 'utf8')))) : shippedVerifier();
const index = new SemanticIndex(verifier);

parentPort!.on('message', ({ ops }: IndexBatch) => {
  const replies: { id: number; answer: ReturnType<SemanticIndex['matches']> }[] = [];
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        index.add(op.key, op.partition, op.text);
        break;
      case 'remove':
        index.remove(op.key);
        break;
      case 'clear':
        index.clear();
        break;
      case 'outcome':
        index.recordOutcome(op.key, op.score, op.correct);
        break;
      case 'restore':
        index.restoreOutcomes(op.key, op.outcomes);
        break;
      case 'match':
        replies.push({ id: op.id, answer: index.matches({ partition: op.partition, text: op.text, threshold: verifier.thresholdFor(op.maxWrongHitRate) }) });
        break;
    }
  }
  if (replies.length > 0) parentPort!.postMessage({ replies } satisfies WorkerReply<SemanticMatch[]>);
});
parentPort!.postMessage({ ready: true } satisfies WorkerReply<SemanticMatch[]>);
