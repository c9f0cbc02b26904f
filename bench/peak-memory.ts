import { readFileSync } from 'node:fs';

export interface MemoryStatus {
  /** VmHWM: the highest resident set size the process has had, in MiB. */
  peakRssMiB: number;
  rssMiB: number;
}

function fieldKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]);
}

/** Linux only: reads the process's memory high-water mark from /proc/<pid>/status. */
export function memoryStatus(pid: number): MemoryStatus {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return { peakRssMiB: fieldKiB(status, 'VmHWM') / 1024, rssMiB: fieldKiB(status, 'VmRSS') / 1024 };
}
