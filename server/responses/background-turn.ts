import { requestIdOf, responseIdOf } from '../../shared/answer-ids.js';
import type { JobState } from '../batch/batch-job.js';
import type { ResponseStore } from './response-store.js';
import { responsesWire } from './responses-wire.js';
import { completedRecord, type StoredResponse } from './stored-response.js';

/** The batch lane's state of a job, by request id (BatchLane.get). */
export type JobLookup = (requestId: string) => JobState | undefined;

/** What a background response's job says of it: the parts of the response that change while it waits. */
const LIVE = ['status', 'output', 'usage', 'error', 'incomplete_details', 'model'] as const;

/** Whether a response has an answer a conversation can continue from. */
export function answered(response: Record<string, unknown>): boolean {
  return response.status === 'completed' || response.status === 'incomplete';
}

/**
 * A background response is kept when the batch lane accepts it, pending, with the request's
 * settings as it echoed them. Read again, it shows its job's state; once the job has answered, the
 * record is completed with that answer and kept so, so a conversation continues from a background
 * turn as from any other. A pending record whose job the lane no longer has stays as it was.
 */
export function settled(record: StoredResponse, o: { jobs: JobLookup; store: ResponseStore }): StoredResponse {
  if (!record.pending) return record;
  const state = o.jobs(requestIdOf(record.id));
  if (!state || state.job.serviceKey !== record.owner) return record;
  const job = responsesWire({}).deferred(state)!;
  const response: Record<string, unknown> = { ...record.response };
  for (const key of LIVE) if (key in job) response[key] = job[key];
  if (!answered(response) && response.status !== 'failed') return { ...record, response };
  const done = completedRecord(record, response);
  // Its earlier turns were extended when it was accepted.
  o.store.put(done, []);
  return done;
}

/**
 * Completes a kept background response as soon as its job has answered, on the instance whose
 * batch lane ran it: with shared kept responses (Redis), a poll that reaches any other instance
 * then reads it completed, where that instance's own lane never knew the job.
 */
export async function completeKept(state: JobState, store: ResponseStore): Promise<void> {
  if (!state.job.kept) return;
  const record = await store.get(responseIdOf(state.job.id), state.job.serviceKey);
  if (record) settled(record, { jobs: (id) => (id === state.job.id ? state : undefined), store });
}
