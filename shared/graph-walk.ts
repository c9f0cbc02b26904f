/**
 * The one place graphs are walked: successors, reachability, cycles, paths and chains. Every
 * walk keeps its own stack, so a 10,000-node graph costs memory, never a RangeError from
 * recursion as deep as the graph.
 */

export interface Link {
  source: string;
  target: string;
}

/** Targets of each node, in edge order. */
export type Successors = ReadonlyMap<string, readonly string[]>;

export function successorsOf(links: Iterable<Link>): Map<string, string[]> {
  const successors = new Map<string, string[]>();
  for (const { source, target } of links) {
    const list = successors.get(source);
    if (list) list.push(target);
    else successors.set(source, [target]);
  }
  return successors;
}

/** Every node some path from `start` reaches, `start` included. */
export function reachableFrom(start: string, successors: Successors): Set<string> {
  const reached = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of successors.get(id) ?? []) if (!reached.has(next)) stack.push(next);
  }
  return reached;
}

/** Whether a path leads from `from` to `to` (a node reaches itself). */
export function reaches(from: string, to: string, successors: Successors): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of successors.get(id) ?? []) stack.push(next);
  }
  return false;
}

/**
 * Each cycle a depth-first walk closes, once, as the loop `[closing node, ..., closing node]`.
 * Roots are tried in the given order and successors in edge order, as a recursive walk would.
 */
export function findCycles(roots: Iterable<string>, successors: Successors): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const position = new Map<string, number>();
  for (const root of roots) {
    if (state.has(root)) continue;
    const frames: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 'open');
    position.set(root, path.push(root) - 1);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const targets = successors.get(frame.id) ?? [];
      if (frame.next >= targets.length) {
        frames.pop();
        path.pop();
        position.delete(frame.id);
        state.set(frame.id, 'done');
        continue;
      }
      const target = targets[frame.next++]!;
      const s = state.get(target);
      if (s === 'open') cycles.push([...path.slice(position.get(target)!), target]);
      else if (!s) {
        state.set(target, 'open');
        position.set(target, path.push(target) - 1);
        frames.push({ id: target, next: 0 });
      }
    }
  }
  return cycles;
}

/** One way on from a node: where it leads and what the walk carries there. */
export interface Branch<S> {
  node: string;
  state: S;
}

export interface PathWalk<S> {
  start: string;
  state: S;
  /** The ways on from a node, in order; null makes it the end of a path. */
  branches(node: string, state: S): readonly Branch<S>[] | null;
  /** Called at the end of each path, in depth-first order. */
  end(node: string, state: S): void;
}

/** Visits every path from `start` depth-first, branches in the order given. Assumes no cycles. */
export function walkPaths<S>(walk: PathWalk<S>): void {
  const stack: Branch<S>[] = [{ node: walk.start, state: walk.state }];
  while (stack.length > 0) {
    const { node, state } = stack.pop()!;
    const branches = walk.branches(node, state);
    if (!branches) {
      walk.end(node, state);
      continue;
    }
    for (let i = branches.length - 1; i >= 0; i--) stack.push(branches[i]!);
  }
}

/** Follows single links (a fallback chain) from `start`, which is not included; stops at a node seen before. */
export function followChain(start: string, next: (node: string) => string | undefined): string[] {
  const chain: string[] = [];
  const seen = new Set([start]);
  for (let id = next(start); id !== undefined && !seen.has(id); id = next(id)) {
    seen.add(id);
    chain.push(id);
  }
  return chain;
}
