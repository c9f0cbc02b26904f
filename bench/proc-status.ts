import { readFileSync } from 'node:fs';

/** Linux's USER_HZ: /proc/<pid>/stat counts CPU time in these ticks on every mainstream kernel. */
export const TICKS_PER_SECOND = 100;

function fieldKiB(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (!match) throw new Error(`no ${field} in /proc status`);
  return Number(match[1]);
}

/** VmHWM from /proc/<pid>/status: the highest resident set size the process has had, in MiB. */
export function peakRssMiB(pid: number): number {
  return fieldKiB(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') / 1024;
}

/**
 * User plus system CPU time the process has used, in ms (10 ms resolution). Unlike latency,
 * CPU time per request hardly moves when other processes compete for the cores.
 */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses; fields are counted after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
