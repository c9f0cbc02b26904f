import { randomUUID } from 'node:crypto';
import type { BacktestJob, BacktestResult } from '../../shared/backtest-api.js';

/** Finished jobs kept for polling; the oldest go first. */
const KEPT = 50;

/** Backtests running or done in this process, by job id. Results are not persisted: rerun after a restart. */
export class BacktestJobs {
  private readonly jobs = new Map<string, BacktestJob>();

  /** Starts `run` in the background and returns its job at once. */
  start(policy: string, run: (progress: (done: number, total: number) => void) => Promise<BacktestResult>): BacktestJob {
    const job: BacktestJob = { job: randomUUID(), policy, status: 'running', progress: { done: 0, total: 0 } };
    this.jobs.set(job.job, job);
    this.prune();
    const progress = (done: number, total: number) => {
      job.progress = { done, total };
    };
    run(progress).then(
      (result) => {
        job.status = 'done';
        job.result = result;
      },
      (error: unknown) => {
        job.status = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      },
    );
    return { ...job };
  }

  get(id: string): BacktestJob | undefined {
    const job = this.jobs.get(id);
    return job ? { ...job } : undefined;
  }

  private prune(): void {
    for (const [id, job] of this.jobs) {
      if (this.jobs.size <= KEPT) break;
      if (job.status !== 'running') this.jobs.delete(id);
    }
  }
}
