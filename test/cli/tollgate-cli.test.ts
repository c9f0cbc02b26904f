import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../http/harness.js';

const run = promisify(execFile);
let dir = '';

/** Runs `npx tollgate ...` the way CI and users do, through bin/tollgate.js. */
async function tollgate(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(REPO, 'bin/tollgate.js'), ...args], { cwd: dir, env: { ...process.env, TOLLGATE_RULES: path.join(dir, 'rules') } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-cli-'));
  await cp(path.join(REPO, 'rules'), path.join(dir, 'rules'), { recursive: true });
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

  it('validate exits non-zero on a rule file whose rules were edited by hand (drift from its graph)', async () => {
    const file = path.join(dir, 'drifted.json');
    const ruleFile = JSON.parse(await readFile(path.join(REPO, 'rules', 'cost-router.json'), 'utf8'));
    ruleFile.rules[0].event.params.actions.at(-1).model = 'gpt-4o';
    await writeFile(file, `${JSON.stringify(ruleFile, null, 2)}\n`);
    const result = await tollgate('validate', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/drifted\.json: drifted: its rules differ from what its graph compiles to \(rule "route-cheap" was changed\)/);
  });

  it('prints its usage and exits 2 on an unknown command', async () => {
    const result = await tollgate('frobnicate');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Usage: tollgate');
  });
});
