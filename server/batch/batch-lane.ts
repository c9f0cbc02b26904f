import type { Reservation } from '../limits/budget-reservations.js';
import type { BatchClient } from './batch-client.js';
import { replayJournal, type BatchAnswer, type BatchJob, type BatchProvider, type JobState } from './batch-job.js';
import type { BatchJournal } from './batch-journal.js';

export interface BatchLaneLog {
  warn(obj: object, msg: string): void;
}

export interface BatchLaneOptions {
  journal: BatchJournal;
  /** Journal entries read back at start: queued jobs are sent again, submitted ones polled again. */
  replay: Parameters<typeof replayJournal>[0];
  clients: Partial<Record<BatchProvider, BatchClient>>;
  /** A provider+model queue is sent as soon as it holds this many jobs... */
  maxSize: number;
  /** ...or once its oldest job has waited this long. */
  maxWaitMs: number;
  /** How often a submitted batch is asked whether it has finished (and a failed submission retried). */
  pollMs: number;
  /** Books a finished job (ledger, webhook); `then` gets the cost booked, once it is in the ledger. */
  finish(state: JobState, answer: BatchAnswer, then: (costUsd: number) => void): void;
  /**
   * The cost already in the ledger for each of these jobs, if any: a crash between booking an
   * answer and journaling it leaves a batch that is polled again at start, and its answers must
   * not be booked twice. Asked only for batches picked up from the journal.
   */
  alreadyBooked(ids: string[], since: Date): Promise<Map<string, number>>;
  /** Holds a replayed job's estimate against the budgets again (see BatchJob.hold). */
  rehold(hold: NonNullable<BatchJob['hold']>): Reservation;
  /** Told of each job once it is completed or failed, after its answer is journaled. */
  settled?: (state: JobState) => void;
  log: BatchLaneLog;
  /** Removes provider keys from error texts before they are journaled or shown. */
  redact(text: string): string;
}

interface Queue {
  jobs: BatchJob[];
  timer: NodeJS.Timeout | null;
}

/**
 * The batch lane: jobs wait in one queue per provider and model, are sent as one provider batch
 * when the queue is full or its oldest job has waited long enough, and are polled until the
 * provider answers. Every step is in the journal before it counts, so a restart picks up where
 * the lane stopped: accepted jobs are never lost.
 */
export class BatchLane {
  private readonly jobs: Map<string, JobState>;
  private readonly queues = new Map<string, Queue>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Batches submitted by an earlier process. */
  private readonly restored = new Set<string>();
  /** Budget holds of unfinished jobs, released when the job's record is booked. */
  private readonly holds = new Map<string, Reservation>();
  private closed = false;

  constructor(private readonly options: BatchLaneOptions) {
    this.jobs = replayJournal(options.replay);
    const polling = new Map<string, { provider: BatchProvider; ids: string[] }>();
    for (const state of this.jobs.values()) {
      if ((state.status === 'queued' || state.status === 'submitted') && state.job.hold) this.holds.set(state.job.id, options.rehold(state.job.hold));
      if (state.status === 'queued') this.enqueue(state.job);
      else if (state.status === 'submitted' && state.batchId) {
        const batch = polling.get(state.batchId) ?? { provider: state.job.provider, ids: [] };
        batch.ids.push(state.job.id);
        polling.set(state.batchId, batch);
      }
    }
    for (const [batchId, { provider, ids }] of polling) {
      this.restored.add(batchId);
      this.schedulePoll(provider, batchId, ids);
    }
  }

  /** Whether this provider's batch API is configured. */
  supports(provider: string): provider is BatchProvider {
    return Object.hasOwn(this.options.clients, provider);
  }

  /** Journals the job (synchronously: it is on disk when this returns), then queues it; `hold` stays held until its answer is booked. */
  accept(job: BatchJob, hold: Reservation | null = null): JobState {
    this.options.journal.append([{ type: 'accepted', job }]);
    const state: JobState = { job, status: 'queued', batchId: null, answer: null, costUsd: 0 };
    this.jobs.set(job.id, state);
    if (hold) this.holds.set(job.id, hold);
    this.enqueue(job);
    return state;
  }

  get(id: string): JobState | undefined {
    return this.jobs.get(id);
  }

  /** Stops timers and polls; queued and submitted jobs stay in the journal for the next start (which holds their budgets again). */
  close(): void {
    this.closed = true;
    for (const hold of this.holds.values()) hold.release();
    this.holds.clear();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const queue of this.queues.values()) queue.timer = null;
    this.options.journal.close();
  }

  private enqueue(job: BatchJob): void {
    const key = `${job.provider} ${job.model}`;
    let queue = this.queues.get(key);
    if (!queue) this.queues.set(key, (queue = { jobs: [], timer: null }));
    queue.jobs.push(job);
    if (queue.jobs.length >= this.options.maxSize) this.flush(key, queue);
    else if (!queue.timer) {
      const waited = Date.now() - Date.parse(queue.jobs[0]!.acceptedAt);
      queue.timer = this.later(Math.max(0, this.options.maxWaitMs - waited), () => {
        queue.timer = null;
        this.flush(key, queue);
      });
    }
  }

  private flush(key: string, queue: Queue): void {
    if (this.closed) return;
    if (queue.timer) {
      clearTimeout(queue.timer);
      this.timers.delete(queue.timer);
      queue.timer = null;
    }
    while (queue.jobs.length > 0) {
      const jobs = queue.jobs.splice(0, this.options.maxSize);
      void this.submit(key, queue, jobs);
    }
  }

  private async submit(key: string, queue: Queue, jobs: BatchJob[]): Promise<void> {
    const provider = jobs[0]!.provider;
    const client = this.options.clients[provider];
    try {
      if (!client) throw new Error(`the ${provider} batch API is not configured`);
      const batchId = await client.submit(jobs);
      if (this.closed) return;
      const ids = jobs.map((j) => j.id);
      this.options.journal.append([{ type: 'submitted', batchId, provider, ids }]);
      for (const id of ids) Object.assign(this.jobs.get(id)!, { status: 'submitted', batchId });
      this.schedulePoll(provider, batchId, ids);
    } catch (error) {
      if (this.closed) return;
      this.options.log.warn({ provider, jobs: jobs.length, queue: key, error: this.options.redact((error as Error).message) }, 'submitting a batch failed; retrying');
      // Back at the front, in order, and retried after a poll interval rather than at once.
      queue.jobs.unshift(...jobs);
      if (!queue.timer) {
        queue.timer = this.later(this.options.pollMs, () => {
          queue.timer = null;
          this.flush(key, queue);
        });
      }
    }
  }

  private schedulePoll(provider: BatchProvider, batchId: string, ids: string[]): void {
    this.later(this.options.pollMs, () => void this.poll(provider, batchId, ids));
  }

  private async poll(provider: BatchProvider, batchId: string, ids: string[]): Promise<void> {
    const client = this.options.clients[provider];
    let answers: Map<string, BatchAnswer> | null;
    try {
      if (!client) throw new Error(`the ${provider} batch API is not configured`);
      answers = await client.poll(batchId);
    } catch (error) {
      this.options.log.warn({ provider, batchId, error: this.options.redact((error as Error).message) }, 'polling a batch failed; trying again');
      answers = null;
    }
    if (this.closed) return;
    if (!answers) return this.schedulePoll(provider, batchId, ids);
    const booked = this.restored.has(batchId) ? await this.bookedBefore(ids) : new Map<string, number>();
    if (this.closed) return;
    for (const id of ids) {
      const state = this.jobs.get(id);
      if (!state || state.status !== 'submitted') continue;
      const found = answers.get(id) ?? { ok: false as const, error: `the ${provider} batch ${batchId} ended without an answer for this request` };
      const answer: BatchAnswer = found.ok ? found : { ok: false, error: this.options.redact(found.error) };
      const bookedCost = booked.get(id);
      if (bookedCost !== undefined) {
        this.options.journal.append([{ type: 'finished', id, answer, costUsd: bookedCost }]);
        Object.assign(state, { status: answer.ok ? 'completed' : 'failed', answer, costUsd: bookedCost });
        this.release(id);
        this.options.settled?.(state);
        continue;
      }
      this.options.finish(state, answer, (costUsd) => {
        if (this.closed) return;
        this.options.journal.append([{ type: 'finished', id, answer, costUsd }]);
        Object.assign(state, { status: answer.ok ? 'completed' : 'failed', answer, costUsd });
        this.options.settled?.(state);
      });
      // In the same tick as finish booked the spend (a failed job books none), so the money is never counted twice or not at all.
      this.release(id);
    }
  }

  private release(id: string): void {
    this.holds.get(id)?.release();
    this.holds.delete(id);
  }

  private async bookedBefore(ids: string[]): Promise<Map<string, number>> {
    const since = new Date(Math.min(...ids.map((id) => Date.parse(this.jobs.get(id)?.job.acceptedAt ?? '') || Date.now())));
    try {
      return await this.options.alreadyBooked(ids, since);
    } catch (error) {
      this.options.log.warn({ error: (error as Error).message }, 'could not read the ledger for answers booked before a restart');
      return new Map();
    }
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return timer;
  }
}
