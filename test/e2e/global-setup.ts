import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureChromium } from './find-chromium.js';
import { buildEditor } from './harness.js';

declare module 'vitest' {
  export interface ProvidedContext {
    editorDir: string;
    chromiumPath: string;
  }
}

/** Chromium found or installed, and one production build of the editor, for all browser stories; each story serves it from its own runtime. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Before the build: a missing browser is found (or installed) first, so a run that cannot work fails at once.
  project.provide('chromiumPath', ensureChromium());
  const root = await mkdtemp(path.join(os.tmpdir(), 'tollgate-editor-build-'));
  const editorDir = path.join(root, 'editor');
  await buildEditor(editorDir);
  project.provide('editorDir', editorDir);
  return () => rm(root, { recursive: true, force: true });
}
