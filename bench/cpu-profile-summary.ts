import path from 'node:path';

/** The parts of V8's .cpuprofile (as written by `node --cpu-prof`) that the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** A function's or source's share of the busy time. */
export interface TimeShare {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Idle, GC and program time, split out so the percentages of code are of busy time. */
  idlePct: number;
  functions: TimeShare[];
  /** Self time by source: a project file, a package, or node's internals. */
  sources: TimeShare[];
  /** The project's own functions (server/, shared/) by inclusive time: what a change in this repo can shorten. */
  projectInclusive: TimeShare[];
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);

/** Groups a script URL into a readable source: `server/x.ts`, `pkg:express`, `node:internal`. */
export function sourceOf(url: string, repo: string): string {
  if (!url) return '(native)';
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  const file = url.startsWith('file://') ? new URL(url).pathname : url;
  const modules = file.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = file.slice(modules + '/node_modules/'.length).split('/');
    return `pkg:${rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  return path.relative(repo, file);
}

function isProjectSource(source: string): boolean {
  return source.startsWith('server/') || source.startsWith('shared/');
}

function frameName(frame: CpuProfile['nodes'][number]['callFrame'], source: string): string {
  // tsx-transformed project files report every function on line 1, so a line says nothing there.
  const line = frame.lineNumber > 0 && !isProjectSource(source) ? `:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${source}${line}`;
}

function top(map: Map<string, number>, busyMs: number, count: number): TimeShare[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => ({ name, ms, pct: (100 * ms) / busyMs }));
}

export interface SummaryOptions {
  /** Samples in the first this many ms after the profile starts (process start-up) are left out. */
  skipFirstMs?: number;
  count?: number;
}

/** Self time per function and per source from a V8 CPU profile, largest first. */
export function summarizeProfile(profile: CpuProfile, repo: string, options: SummaryOptions = {}): ProfileSummary {
  const { skipFirstMs = 0, count = 15 } = options;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfById = new Map<number, number>();
  let elapsedMs = 0;
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    elapsedMs += ms;
    if (elapsedMs > skipFirstMs) selfById.set(id, (selfById.get(id) ?? 0) + ms);
  });
  const functions = new Map<string, number>();
  const sources = new Map<string, number>();
  let totalMs = 0;
  let idleMs = 0;
  for (const [id, ms] of selfById) {
    const frame = byId.get(id)!.callFrame;
    totalMs += ms;
    if (frame.functionName === '(idle)') idleMs += ms;
    const special = SPECIAL.has(frame.functionName);
    const source = special ? frame.functionName : sourceOf(frame.url, repo);
    const name = special ? frame.functionName : frameName(frame, source);
    functions.set(name, (functions.get(name) ?? 0) + ms);
    sources.set(source, (sources.get(source) ?? 0) + ms);
  }
  const busyMs = Math.max(totalMs - idleMs, 1e-9);
  functions.delete('(idle)');
  sources.delete('(idle)');
  const projectInclusive = inclusiveProjectTimes(profile, selfById, repo);
  return {
    totalMs,
    idlePct: (100 * idleMs) / Math.max(totalMs, 1e-9),
    functions: top(functions, busyMs, count),
    sources: top(sources, busyMs, count),
    projectInclusive: top(projectInclusive, busyMs, count),
  };
}

/** Each sample counts once for every distinct project function on its stack. */
function inclusiveProjectTimes(profile: CpuProfile, selfById: Map<number, number>, repo: string): Map<string, number> {
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const totals = new Map<string, number>();
  for (const [id, ms] of selfById) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const source = sourceOf(frame.url, repo);
      if (!isProjectSource(source)) continue;
      const name = frameName(frame, source);
      if (seen.has(name)) continue;
      seen.add(name);
      totals.set(name, (totals.get(name) ?? 0) + ms);
    }
  }
  return totals;
}
