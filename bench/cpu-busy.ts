import { readFileSync } from 'node:fs';
import { cpuTimeMs, TICKS_PER_SECOND } from './proc-status.js';

interface CpuTicks {
  busy: number;
  total: number;
}

/** Aggregate CPU ticks from /proc/stat (Linux); iowait counts as idle. */
function readTicks(): CpuTicks | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idle! + iowait! };
  } catch {
    return null;
  }
}

/** Share of all cores (0..100) that were busy over the next `ms`; null where /proc/stat is missing. */
export async function cpuBusyPct(ms: number): Promise<number | null> {
  const before = readTicks();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = readTicks();
  if (!before || !after || after.total === before.total) return null;
  return (100 * (after.busy - before.busy)) / (after.total - before.total);
}

/**
 * Waits until other work leaves the machine nearly idle (or gives up after `maxWaitMs`):
 * every figure of the bench is skewed by whatever else shares the cores.
 */
export async function waitForQuiet(maxPct: number, maxWaitMs: number, log: (line: string) => void): Promise<number | null> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const busy = await cpuBusyPct(2000);
    if (busy === null || busy <= maxPct || Date.now() >= deadline) return busy;
    log(`machine ${busy.toFixed(0)}% busy with other work; waiting for it to calm down ...`);
  }
}

export interface CpuSnapshot {
  machineBusyMs: number;
  machineTotalMs: number;
  /** CPU time of this process, its finished children and the live ones named. */
  ownMs: number;
}

/** This process's CPU time plus that of every child it has reaped (cutime, cstime), in ms. */
function selfAndReapedMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
}

export function cpuSnapshot(livePids: number[]): CpuSnapshot | null {
  const ticks = readTicks();
  if (!ticks) return null;
  const ownMs = selfAndReapedMs() + livePids.reduce((sum, pid) => sum + cpuTimeMs(pid), 0);
  return { machineBusyMs: (ticks.busy * 1000) / TICKS_PER_SECOND, machineTotalMs: (ticks.total * 1000) / TICKS_PER_SECOND, ownMs };
}

/** Share of all cores (0..100) that processes outside the bench used between two snapshots. */
export function otherWorkPct(before: CpuSnapshot | null, after: CpuSnapshot | null): number | null {
  if (!before || !after || after.machineTotalMs === before.machineTotalMs) return null;
  const other = after.machineBusyMs - before.machineBusyMs - (after.ownMs - before.ownMs);
  return Math.max(0, (100 * other) / (after.machineTotalMs - before.machineTotalMs));
}
