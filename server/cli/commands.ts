import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Engine } from 'json-rules-engine';
import { compile } from '../../shared/compiler/compile.js';
import { ruleDrift } from '../../shared/compiler/rule-drift.js';
import { formatDiagnostic, hasErrors } from '../../shared/diagnostics.js';
import { serializeRuleFile } from '../../shared/rule-file.js';
import { parseRuleFile } from '../policies/read-rule-file.js';
import { CliError } from './rules-folder.js';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

async function readJson(file: string, io: Output): Promise<unknown | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    io.err(`${file}: ${(error as Error).message}`);
    return undefined;
  }
}

/** `compile <graph.json>`: accepts a bare graph or a rule file (its graph is used). */
export async function compileCommand(file: string, options: { out?: string; stdout?: boolean; rulesDir: string }, io: Output): Promise<number> {
  const json = await readJson(file, io);
  if (json === undefined) return 1;
  const graph = json && typeof json === 'object' && 'graph' in json && 'rules' in json ? (json as { graph: unknown }).graph : json;
  const { ruleFile, diagnostics, ruleCount } = compile(graph);
  for (const d of diagnostics) io.err(`${file}: ${formatDiagnostic(d)}`);
  if (!ruleFile || hasErrors(diagnostics)) return 1;
  const text = serializeRuleFile(ruleFile);
  if (options.stdout) {
    io.out(text.trimEnd());
    return 0;
  }
  const target = options.out ?? path.join(options.rulesDir, `${ruleFile.policy.id}.json`);
  try {
    await writeFile(target, text);
  } catch (error) {
    io.err(`cannot write ${target}: ${(error as Error).message}`);
    return 1;
  }
  io.out(`${file} → ${target} (${ruleCount} rules)`);
  return 0;
}

async function ruleFilesIn(targets: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => null);
    if (!info) throw new CliError(`${target} does not exist`);
    if (info.isDirectory()) {
      files.push(...(await readdir(target)).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(target, f)));
    } else files.push(target);
  }
  return files;
}

/** `compile --check`: every rule file must be exactly what its own graph compiles to. */
export async function checkCommand(targets: string[], io: Output): Promise<number> {
  let failures = 0;
  for (const file of await ruleFilesIn(targets)) {
    const text = await readFile(file, 'utf8').catch((e: Error) => e);
    if (text instanceof Error) {
      io.err(`${file}: ${text.message}`);
      failures++;
      continue;
    }
    const parsed = parseRuleFile(text, path.basename(file, '.json'));
    if (!parsed.ok) {
      io.err(`${file}: ${parsed.error}`);
      failures++;
      continue;
    }
    const { ruleFile, diagnostics } = compile(parsed.ruleFile.graph);
    if (!ruleFile) {
      for (const d of diagnostics) io.err(`${file}: ${formatDiagnostic(d)}`);
      failures++;
    } else if (serializeRuleFile(ruleFile) !== text) {
      io.err(`${file}: stale: its rules differ from what its graph compiles to; run \`npx tollgate compile ${file}\``);
      failures++;
    } else io.out(`${file}: up to date (${ruleFile.rules.length} rules)`);
  }
  return failures === 0 ? 0 : 1;
}

/** `validate <rule-file>`: the schema, the compiler's diagnostics, a real json-rules-engine load, and no drift between rules and graph. */
export async function validateCommand(targets: string[], io: Output): Promise<number> {
  let failures = 0;
  for (const file of await ruleFilesIn(targets)) {
    const text = await readFile(file, 'utf8').catch((e: Error) => e);
    const parsed = text instanceof Error ? { ok: false as const, error: text.message } : parseRuleFile(text);
    if (!parsed.ok) {
      io.err(`${file}: ${parsed.error}`);
      failures++;
      continue;
    }
    const { diagnostics } = compile(parsed.ruleFile.graph);
    for (const d of diagnostics) io.err(`${file}: ${formatDiagnostic(d)}`);
    try {
      new Engine(parsed.ruleFile.rules as never);
    } catch (error) {
      io.err(`${file}: json-rules-engine rejects the rules: ${(error as Error).message}`);
      failures++;
      continue;
    }
    const drift = hasErrors(diagnostics) ? null : ruleDrift(parsed.ruleFile);
    if (drift) io.err(`${file}: drifted: ${drift}; the runtime serves these rules, not the graph. Run \`npx tollgate compile ${file}\` to rebuild them from the graph`);
    if (hasErrors(diagnostics) || drift) failures++;
    else io.out(`${file}: valid (${parsed.ruleFile.rules.length} rules, policy ${parsed.ruleFile.policy.id} v${parsed.ruleFile.policy.version})`);
  }
  return failures === 0 ? 0 : 1;
}
