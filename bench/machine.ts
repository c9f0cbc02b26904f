import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** Share of all cores busy with other work just before the bench started; null where unknown. */
  busyPctAtStart: number | null;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1]!.trim();
  } catch {
    // Not Linux: fall through to what node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

export function describeMachine(busyPctAtStart: number | null): Machine {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    busyPctAtStart,
  };
}

export function machineLine(m: Machine): string {
  const busy = m.busyPctAtStart === null ? 'other load unknown' : `${m.busyPctAtStart.toFixed(0)}% busy with other work at start`;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB.toFixed(0)} GiB, Node ${m.node}, ${busy}`;
}

/** Above this share of the cores busy before the bench, its figures say more about the other work than about the gateways. */
export const BUSY_PCT = 15;

export function isBusy(m: Machine): boolean {
  return m.busyPctAtStart !== null && m.busyPctAtStart > BUSY_PCT;
}
