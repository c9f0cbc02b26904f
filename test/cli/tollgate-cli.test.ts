import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../http/harness.js';
import { copyExampleRules } from '../support/example-rules.js';

const run = promisify(execFile);
let dir = '';

/** Runs `npx tollgate ...` the way CI and users do, through bin/tollgate.js. */
async function tollgate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return tollgateIn({ cwd: dir, env: { TOLLGATE_RULES: path.join(dir, 'rules') } }, ...args);
}

async function tollgateIn(where: { cwd: string; env?: Record<string, string> }, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, TOLLGATE_RULES: '', ...where.env };
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO, 'bin/tollgate.js'), ...args], { cwd: where.cwd, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-cli-'));
  await copyExampleRules(path.join(dir, 'rules'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tollgate CLI', () => {
  it('compiles a graph into rules/<id>.json, byte for byte what the golden file holds', async () => {
    const result = await tollgate('compile', path.join(REPO, 'test/fixtures/cost-router.graph.json'), '--out', path.join(dir, 'out.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('5 rules');
    expect(await readFile(path.join(dir, 'out.json'), 'utf8')).toBe(await readFile(path.join(REPO, 'test/fixtures/cost-router.rules.json'), 'utf8'));
  });

  it('exits non-zero and prints the diagnostics of a graph with errors', async () => {
    const result = await tollgate('compile', path.join(REPO, 'test/fixtures/diagnostics/TG003-cycle.graph.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error TG003 cycle \(node t1\)/);
  });

  it('says which file is not JSON', async () => {
    await writeFile(path.join(dir, 'broken.graph.json'), '{ nope');
    const result = await tollgate('compile', path.join(dir, 'broken.graph.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.graph.json');
  });

  it('compile --check passes on current rule files and fails on a stale one', async () => {
    expect((await tollgate('compile', '--check')).code).toBe(0);
    const file = path.join(dir, 'rules', 'faq-cache.json');
    const ruleFile = JSON.parse(await readFile(file, 'utf8'));
    ruleFile.rules[0].priority = 7;
    await writeFile(file, `${JSON.stringify(ruleFile, null, 2)}\n`);
    const result = await tollgate('compile', '--check');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/faq-cache\.json: stale/);
  });

  it('validate loads rule files into json-rules-engine and rejects a broken one', async () => {
    expect((await tollgate('validate', path.join(dir, 'rules', 'cost-router.json'))).code).toBe(0);
    await writeFile(path.join(dir, 'rules', 'bad.json'), '{"policy": {}}');
    const result = await tollgate('validate', path.join(dir, 'rules', 'bad.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad.json: policy.id');
  });

  it('works from a subfolder of a project: finds the nearest rules/ above and resolves paths from the working directory', async () => {
    const sub = path.join(dir, 'services', 'search');
    await mkdir(sub, { recursive: true });
    await writeFile(path.join(sub, 'mine.graph.json'), await readFile(path.join(REPO, 'test/fixtures/budget-guard.graph.json')));
    const compiled = await tollgateIn({ cwd: sub }, 'compile', 'mine.graph.json');
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toContain(path.join(dir, 'rules', 'budget-guard.json'));
    expect((await tollgateIn({ cwd: sub }, 'validate', '../../rules/budget-guard.json')).code).toBe(0);
  });

  it('outside any project, says which folder is missing instead of a stack trace', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'tollgate-nowhere-'));
    const check = await tollgateIn({ cwd: outside }, 'compile', '--check');
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^tollgate: no rules\/ folder here or above; pass --rules DIR/);
    const compiled = await tollgateIn({ cwd: outside }, 'compile', path.join(REPO, 'test/fixtures/cost-router.graph.json'));
    expect(compiled.stderr).toMatch(/no rules\/ folder/);
    expect(compiled.stderr).not.toMatch(/at .*\.ts:\d+/);
    const missing = await tollgateIn({ cwd: outside }, 'validate', 'nothing.json');
    expect(missing).toMatchObject({ code: 2 });
    expect(missing.stderr).toContain(`${path.join(outside, 'nothing.json')} does not exist`);
    const wrongFlag = await tollgateIn({ cwd: outside }, 'compile', '--check', '--rules', 'nope');
    expect(wrongFlag.stderr).toContain(`the rules folder ${path.join(outside, 'nope')} does not exist (from --rules)`);
    await copyExampleRules(path.join(outside, 'elsewhere'));
    expect((await tollgateIn({ cwd: outside }, 'compile', '--check', '--rules', 'elsewhere')).code).toBe(0);
    await rm(outside, { recursive: true, force: true });
  });

  it('validate exits non-zero on a rule file whose rules were edited by hand (drift from its graph)', async () => {
    const file = path.join(dir, 'drifted.json');
    const ruleFile = JSON.parse(await readFile(path.join(REPO, 'rules', 'cost-router.json'), 'utf8'));
    ruleFile.rules.find((rule: { name: string }) => rule.name === 'cheap-model').event.params.actions.at(-1).model = 'gpt-4o';
    await writeFile(file, `${JSON.stringify(ruleFile, null, 2)}\n`);
    const result = await tollgate('validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/drifted\.json: drifted: its rules differ from what its graph compiles to \(rule "cheap-model" was changed\)/);
  });

  it('prints its usage and exits 2 on an unknown command', async () => {
    const result = await tollgate('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: tollgate');
  });
});
