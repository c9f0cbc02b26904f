import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../http/harness.js';

const ROOTS = ['shared', 'server', 'editor/src'];
const SOURCE = /\.(ts|tsx)$/;
/** Static imports and re-exports, type-only ones included: a cycle of types still tangles what a reader must hold in mind. */
const IMPORT = /^\s*(?:import|export)\b[^'";]*?\bfrom\s+['"](\.[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(REPO, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(rel);
    return SOURCE.test(entry.name) ? [rel] : [];
  });
}

/** Each source file (repo-relative) and the repo files it imports. */
function importGraph(): Map<string, string[]> {
  const files = ROOTS.flatMap(sourceFiles);
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(REPO, file), 'utf8');
    const targets = [...text.matchAll(IMPORT)].map((m) => {
      const joined = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!));
      const base = joined.replace(/\.js$/, '');
      return [`${base}.ts`, `${base}.tsx`].find((f) => known.has(f)) ?? joined;
    });
    graph.set(file, targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  for (const root of graph.keys()) {
    if (state.has(root)) continue;
    const stack: { file: string; next: number }[] = [{ file: root, next: 0 }];
    state.set(root, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const targets = graph.get(top.file) ?? [];
      if (top.next >= targets.length) {
        state.set(top.file, 'done');
        stack.pop();
        continue;
      }
      const target = targets[top.next++]!;
      if (state.get(target) === 'open') {
        const files = stack.map((f) => f.file);
        found.push([...files.slice(files.indexOf(target)), target]);
      } else if (!state.has(target) && graph.has(target)) {
        state.set(target, 'open');
        stack.push({ file: target, next: 0 });
      }
    }
  }
  return found;
}

function importsFrom(graph: Map<string, string[]>, from: string, to: string): string[] {
  return [...graph].flatMap(([file, targets]) => (file.startsWith(from) ? targets.filter((t) => t.startsWith(to)).map((t) => `${file} -> ${t}`) : []));
}

describe('module layering', () => {
  const graph = importGraph();

  it('reads the sources it checks', () => {
    expect(graph.get('server/runtime/handle-chat.ts')).toContain('server/runtime/admit-request.ts');
  });

  it('has no import cycles', () => {
    expect(cycles(graph).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('shared/ imports nothing from server/ or editor/', () => {
    expect([...importsFrom(graph, 'shared/', 'server/'), ...importsFrom(graph, 'shared/', 'editor/')]).toEqual([]);
  });

  it('editor/ imports nothing from server/', () => {
    expect(importsFrom(graph, 'editor/', 'server/')).toEqual([]);
  });

  it('server/runtime/ imports nothing from server/http/', () => {
    expect(importsFrom(graph, 'server/runtime/', 'server/http/')).toEqual([]);
  });
});
