import { Worker } from 'node:worker_threads';

const BOOT_FILE = new URL('./typescript-worker-boot.mjs', import.meta.url);

/** What a worker module posts back: word that it has loaded and answers from now on, or answers by request id. */
export type WorkerReply<Answer> = { ready: true } | { replies: { id: number; answer: Answer }[] };

/** What the boot file hands a worker module: its own `data` sits beside the module to load. */
export interface WorkerBoot {
  module: string;
  data: unknown;
}

export type WorkerFaultKind = 'exit' | 'error' | 'boot' | 'deadline' | 'busy';
export interface WorkerFault {
  kind: WorkerFaultKind;
  message: string;
}

/**
 * What a caller of a worker-backed service may tune; the service gives each its default and says
 * what an unanswered request means for it.
 */
export type WorkerTuning = Partial<Pick<SupervisedWorkerOptions<unknown>, 'deadlineMs' | 'bootTimeoutMs' | 'restartDelayMs' | 'maxPending' | 'onFault'>>;

export interface SupervisedWorkerOptions<Answer> {
  /** The worker module (TypeScript; the boot file registers tsx for it). */
  module: URL;
  /** Read by the module as `workerData.data`. */
  data?: unknown;
  /** Names the worker in fault messages ("schema check worker"). */
  name: string;
  /** Names one request in deadline messages ("schema check"). */
  requestName: string;
  /** The answer to a request that gets none: no worker, a failure, a missed deadline, shed, closed. It must be safe to act on. */
  unanswered: Answer;
  /** A request the running worker has not answered by then gets `unanswered`. While the worker loads, requests wait. */
  deadlineMs: number;
  /**
   * What else a missed deadline does. `replace`: the worker is stuck on that one job (a compile
   * that runs for seconds), so it is terminated and its other requests answered too. `keep`: the
   * worker goes on; a late answer is dropped.
   */
  onDeadline: 'replace' | 'keep';
  /** A worker that has not posted `ready` by then has failed. */
  bootTimeoutMs: number;
  /** After a failure, requests get `unanswered` at once for this long before a new worker is started. */
  restartDelayMs: number;
  /** Requests waiting past this many get `unanswered` at once, so a flood queues no further (told as `busy`, at most once a second). */
  maxPending?: number;
  /** Called as each new worker starts, before anything else is posted to it: the place to send it the state it needs. */
  onStart?: () => void;
  /** Told of each failure and missed deadline, and of shed requests once a second; the runtime logs it. */
  onFault?: (fault: WorkerFault) => void;
}

export interface SupervisedWorker<Answer> {
  /** Starts a worker when none runs and no failed one is waiting out its delay; null when none runs. */
  start(): 'running' | 'started' | null;
  /** Whether a worker runs (loaded or loading), without starting one. */
  running(): boolean;
  /** Posts to the running worker; false when none runs (the message is dropped). */
  post(message: unknown): boolean;
  /**
   * One request: `send` gets its id and posts it (now or batched); the promise settles with the
   * worker's answer, or `unanswered`. A `send` that throws (a value that cannot be cloned) is unanswered.
   */
  request(send: (id: number) => void): Promise<Answer>;
  close(): Promise<void>;
}

/**
 * A worker thread that is started on first use, given a deadline per request once it has loaded,
 * replaced after it fails (exit, uncaught error, no `ready` in time, a stuck job) and closed with
 * the runtime. Every path that cannot get an answer settles with `unanswered`, so the work it
 * carries is never on a request's critical path: the cost of a broken worker is a skipped check or
 * a cache miss, never an error or a hang.
 */
export function supervisedWorker<Answer>(options: SupervisedWorkerOptions<Answer>): SupervisedWorker<Answer> {
  const pending = new Map<number, { resolve: (answer: Answer) => void; timer: NodeJS.Timeout | null }>();
  let worker: Worker | null = null;
  let ready = false;
  let bootTimer: NodeJS.Timeout | null = null;
  let nextId = 0;
  let downUntil = 0;
  let closed = false;

  /** Shed requests are told at most once a second, with how many since the last telling: a flood sheds thousands. */
  let shedSinceTold = 0;
  let shedToldAt = -Infinity;
  const shed = () => {
    shedSinceTold++;
    const now = Date.now();
    if (now - shedToldAt < 1_000) return;
    options.onFault?.({ kind: 'busy', message: `${shedSinceTold} ${options.requestName}${shedSinceTold === 1 ? '' : 's'} skipped: ${pending.size} were waiting` });
    shedSinceTold = 0;
    shedToldAt = now;
  };

  const settle = (id: number, answer: Answer) => {
    const waiting = pending.get(id);
    if (!waiting) return;
    pending.delete(id);
    if (waiting.timer) clearTimeout(waiting.timer);
    waiting.resolve(answer);
  };

  const settleAll = () => {
    for (const id of [...pending.keys()]) settle(id, options.unanswered);
  };

  const fail = (failed: Worker, kind: 'exit' | 'error' | 'boot' | 'deadline', message: string) => {
    if (worker !== failed) return;
    worker = null;
    ready = false;
    if (bootTimer) clearTimeout(bootTimer);
    if (kind !== 'exit') void failed.terminate();
    downUntil = Date.now() + options.restartDelayMs;
    settleAll();
    if (!closed) options.onFault?.({ kind, message });
  };

  const startDeadline = (id: number) => {
    const waiting = pending.get(id);
    const running = worker;
    if (!waiting || waiting.timer || !running) return;
    waiting.timer = setTimeout(() => {
      if (!pending.has(id)) return;
      const message = `${options.requestName} unanswered after ${options.deadlineMs} ms`;
      if (options.onDeadline === 'replace') return fail(running, 'deadline', message);
      settle(id, options.unanswered);
      options.onFault?.({ kind: 'deadline', message });
    }, options.deadlineMs);
    waiting.timer.unref();
  };

  const start = (): 'running' | 'started' | null => {
    if (closed) return null;
    if (worker) return 'running';
    if (Date.now() < downUntil) return null;
    const boot: WorkerBoot = { module: options.module.href, data: options.data };
    const started = new Worker(BOOT_FILE, { workerData: boot });
    started.unref();
    started.on('message', (message: WorkerReply<Answer>) => {
      if ('ready' in message) {
        ready = true;
        if (bootTimer) clearTimeout(bootTimer);
        for (const id of pending.keys()) startDeadline(id);
        return;
      }
      for (const reply of message.replies) settle(reply.id, reply.answer);
    });
    started.on('error', (error) => fail(started, 'error', error.message));
    started.on('exit', (code) => fail(started, 'exit', `${options.name} exited with code ${code}`));
    worker = started;
    ready = false;
    bootTimer = setTimeout(() => fail(started, 'boot', `${options.name} did not load in ${options.bootTimeoutMs} ms`), options.bootTimeoutMs);
    bootTimer.unref();
    options.onStart?.();
    return 'started';
  };

  return {
    start,

    running: () => worker !== null,

    post(message) {
      if (!worker) return false;
      worker.postMessage(message);
      return true;
    },

    request(send) {
      if (options.maxPending !== undefined && pending.size >= options.maxPending) {
        shed();
        return Promise.resolve(options.unanswered);
      }
      if (!start()) return Promise.resolve(options.unanswered);
      const id = ++nextId;
      return new Promise<Answer>((resolve) => {
        pending.set(id, { resolve, timer: null });
        if (ready) startDeadline(id);
        try {
          send(id);
        } catch {
          settle(id, options.unanswered);
        }
      });
    },

    async close() {
      closed = true;
      const stopping = worker;
      worker = null;
      if (bootTimer) clearTimeout(bootTimer);
      settleAll();
      await stopping?.terminate();
    },
  };
}
