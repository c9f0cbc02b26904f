import { afterEach, describe, expect, it } from 'vitest';
import { supervisedWorker, type SupervisedWorker, type SupervisedWorkerOptions, type WorkerFault } from '../../server/workers/supervised-worker.js';
import type { EchoRequest } from '../fixtures/workers/echo-worker.js';

const ECHO = new URL('../fixtures/workers/echo-worker.ts', import.meta.url);
const UNANSWERED = '(unanswered)';

const opened: SupervisedWorker<string>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((w) => w.close()));
});

function echo(options: Partial<SupervisedWorkerOptions<string>> = {}) {
  const faults: WorkerFault[] = [];
  let starts = 0;
  const worker = supervisedWorker<string>({
    module: ECHO,
    name: 'echo worker',
    requestName: 'echo',
    unanswered: UNANSWERED,
    deadlineMs: 10_000,
    onDeadline: 'keep',
    bootTimeoutMs: 30_000,
    restartDelayMs: 0,
    onStart: () => void starts++,
    onFault: (fault) => faults.push(fault),
    ...options,
  });
  opened.push(worker);
  const ask = (request: Omit<EchoRequest, 'id'>) => worker.request((id) => worker.post({ id, ...request } satisfies EchoRequest));
  return { worker, ask, faults, starts: () => starts };
}

describe('a supervised worker thread', () => {
  it('starts on the first request, not before, and gives 50 parallel requests each its own answer', async () => {
    const { worker, ask, starts } = echo();
    expect(worker.running()).toBe(false);
    const texts = Array.from({ length: 50 }, (_, i) => `q${i}`);
    expect(await Promise.all(texts.map((text) => ask({ text })))).toEqual(texts);
    expect(starts()).toBe(1);
  });

  it('keeps the worker on a missed deadline when told to: that request alone goes unanswered', async () => {
    const { worker, ask, faults, starts } = echo({ deadlineMs: 300, onDeadline: 'keep' });
    expect(await ask({ text: 'warm' })).toBe('warm');
    const late = ask({ text: 'late', laterMs: 5_000 });
    expect(await ask({ text: 'meanwhile' })).toBe('meanwhile');
    expect(await late).toBe(UNANSWERED);
    expect(faults.map((f) => f.kind)).toEqual(['deadline']);
    expect(faults[0]!.message).toBe('echo unanswered after 300 ms');
    expect(worker.running()).toBe(true);
    expect(starts()).toBe(1);
  });

  it('replaces the worker on a missed deadline when told to, answering everything it held', async () => {
    const { ask, faults, starts } = echo({ deadlineMs: 300, onDeadline: 'replace' });
    expect(await ask({ text: 'warm' })).toBe('warm');
    const [late, other] = await Promise.all([ask({ text: 'late', laterMs: 5_000 }), ask({ text: 'other', laterMs: 5_000 })]);
    expect([late, other]).toEqual([UNANSWERED, UNANSWERED]);
    expect(faults.map((f) => f.kind)).toEqual(['deadline']);
    expect(await ask({ text: 'after' })).toBe('after');
    expect(starts()).toBe(2);
  });

  it('answers what a crashed worker held and starts no new one inside the restart delay', async () => {
    const { worker, ask, faults, starts } = echo({ restartDelayMs: 60_000 });
    expect(await ask({ text: 'warm' })).toBe('warm');
    const held = ask({ text: 'held', laterMs: 5_000 });
    expect(await ask({ text: 'boom', crash: true })).toBe(UNANSWERED);
    expect(await held).toBe(UNANSWERED);
    expect(faults.map((f) => f.kind)).toEqual(['error']);
    expect(faults[0]!.message).toBe('crashed on boom');
    // Inside the delay no worker is started: requests are answered at once, unanswered.
    expect(worker.start()).toBeNull();
    expect(await ask({ text: 'too soon' })).toBe(UNANSWERED);
    expect(starts()).toBe(1);
  });

  it('fails a worker that never loads, with a boot fault naming it', async () => {
    const { ask, faults } = echo({ data: { silent: true }, bootTimeoutMs: 300 });
    expect(await ask({ text: 'waiting' })).toBe(UNANSWERED);
    expect(faults.map((f) => f.message)).toEqual(['echo worker did not load in 300 ms']);
  });

  it('sheds requests past its bound at once, and answers unanswered once closed', async () => {
    const { worker, ask, faults } = echo({ maxPending: 2 });
    const answers = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((text) => ask({ text })));
    expect(answers).toEqual(['a', 'b', UNANSWERED, UNANSWERED, UNANSWERED]);
    // A flood is told once a second, not once a request.
    expect(faults).toEqual([{ kind: 'busy', message: '1 echo skipped: 2 were waiting' }]);
    const held = ask({ text: 'held', laterMs: 5_000 });
    await worker.close();
    expect(await held).toBe(UNANSWERED);
    expect(await ask({ text: 'closed' })).toBe(UNANSWERED);
    expect(worker.running()).toBe(false);
  });

  it('answers unanswered when the request cannot be sent', async () => {
    const { worker } = echo();
    expect(await worker.request(() => worker.post({ id: 1, text: () => 'a function does not clone' }))).toBe(UNANSWERED);
  });
});
