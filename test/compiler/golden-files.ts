import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../shared/compiler/compile.js';
import type { Diagnostic } from '../../shared/diagnostics.js';
import { serializeRuleFile } from '../../shared/rule-file.js';

export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const DIAGNOSTIC_FIXTURES = path.join(FIXTURES, 'diagnostics');

export function graphFixtures(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.graph.json'))
    .map((f) => f.slice(0, -'.graph.json'.length))
    .sort();
}

export function readGraph(dir: string, name: string): unknown {
  return JSON.parse(readFileSync(path.join(dir, `${name}.graph.json`), 'utf8'));
}

/** What a golden rules file holds: the compiled file's bytes. */
export function compiledText(dir: string, name: string): string {
  const { ruleFile, diagnostics } = compile(readGraph(dir, name));
  if (!ruleFile) throw new Error(`${name} does not compile: ${JSON.stringify(diagnostics)}`);
  return serializeRuleFile(ruleFile);
}

/** The stable part of diagnostics a golden file pins: code, node, edge, field (messages may be reworded). */
export function diagnosticsText(dir: string, name: string): string {
  const { diagnostics } = compile(readGraph(dir, name));
  const pinned = diagnostics.map((d: Diagnostic) => ({ code: d.code, severity: d.severity, nodeId: d.nodeId, edgeId: d.edgeId, field: d.field }));
  return `${JSON.stringify(pinned, null, 2)}\n`;
}
