import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseReplayArgs } from '../../bench/router/replay-args.js';
import { loadGsm8k, loadMmluDir } from '../../bench/router/routing-data.js';
import { REPO } from '../http/harness.js';
import { writeToyBenchData } from '../support/toy-bench-data.js';

// Hand-written rows in the data's formats, written for the test (the benchmark data is never committed).
let toyData: string;
let FIXTURES: string;
beforeAll(async () => {
  toyData = await writeToyBenchData();
  FIXTURES = path.join(toyData, 'routing');
});
afterAll(() => rm(toyData, { recursive: true, force: true }));
const run = promisify(execFile);

async function replay(...args: string[]): Promise<Record<string, number>> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', path.join(REPO, 'bench', 'routing-replay.ts'), ...args], { cwd: REPO });
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as Record<string, number>;
}

describe('bench:replay arguments', () => {
  it('reads --mmlu, --gsm8k and --policy, and defaults to the GSM8K file and cost-router', () => {
    expect(parseReplayArgs(['--mmlu', 'dir', '--gsm8k', 'f.csv', '--policy', 'faq-cache'], '/data')).toEqual({ mmlu: 'dir', gsm8k: 'f.csv', policy: 'faq-cache' });
    expect(parseReplayArgs(['--mmlu', 'dir'], '/data')).toEqual({ mmlu: 'dir', policy: 'cost-router' });
    expect(parseReplayArgs([], '/data')).toEqual({ gsm8k: path.join('/data', 'gsm8k_responses.csv'), policy: 'cost-router' });
    expect(parseReplayArgs(['budget-guard'], '/data').policy).toBe('budget-guard');
  });

  it('refuses an unknown flag and a policy id that is a path', () => {
    expect(() => parseReplayArgs(['--mmlu-dir', 'x'], '/data')).toThrow(/mmlu-dir/);
    expect(() => parseReplayArgs(['--policy', '../secrets'], '/data')).toThrow(/--policy/);
  });

  it('loads every CSV of an MMLU folder, one group per subject, and leaves contaminated GSM8K prompts out', () => {
    const mmlu = loadMmluDir(path.join(FIXTURES, 'mmlu'));
    expect(mmlu.map((s) => s.group)).toEqual(['toy_arithmetic', 'toy_arithmetic', 'toy_geography', 'toy_geography']);
    expect(mmlu.map((s) => [s.cheapRight, s.strongRight])).toEqual([[false, true], [true, true], [true, true], [true, false]]);
    const gsm8k = loadGsm8k(path.join(FIXTURES, 'toy-gsm8k-responses.csv'));
    expect(gsm8k).toHaveLength(2);
    expect(gsm8k[0]!.strongAnswer).toContain('The answer is 3');
  });

  it('reads exports that differ only in form: a byte-order mark, true/false or 1/0, and the strong column first', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-variants-'));
    try {
      await mkdir(path.join(dir, 'mmlu'));
      await writeFile(
        path.join(dir, 'mmlu', 'mmlu_toy_history.csv'),
        '\uFEFFprompt,gpt-4-1106-preview,mistralai/Mixtral-8x7B-Instruct-v0.1\r\n"Who came first?\nA. X\nB. Y\nAnswer:",1,0\r\nWhich is older?,false,TRUE\r\n',
      );
      expect(loadMmluDir(path.join(dir, 'mmlu')).map((s) => [s.cheapRight, s.strongRight])).toEqual([[false, true], [true, false]]);
      await writeFile(path.join(dir, 'bad.csv'), 'prompt,cheap,strong\nok,True,True\nnext,True,maybe\n');
      expect(() => loadGsm8k(path.join(dir, 'bad.csv'))).toThrow(/bad.csv row 3: expected True or False, got "maybe"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('replays the fixture through the policy and ends with the summary line', async () => {
    const summary = await replay('--mmlu', path.join(FIXTURES, 'mmlu'), '--gsm8k', path.join(FIXTURES, 'toy-gsm8k-responses.csv'), '--policy', 'cost-router');
    expect(Object.keys(summary)).toEqual(['accuracy', 'premiumAccuracy', 'qualityRatio', 'costCut', 'premiumShare', 'prompts']);
    expect(summary.prompts).toBe(6);
    // All-strong is right on 5 of the 6 recorded prompts (the contaminated one is left out).
    expect(summary.premiumAccuracy).toBeCloseTo(5 / 6, 4);
    expect(summary.qualityRatio).toBeCloseTo(summary.accuracy! / summary.premiumAccuracy!, 3);
    expect(summary.premiumShare).toBeGreaterThanOrEqual(0);
    expect(summary.premiumShare).toBeLessThanOrEqual(1);
  });

  it('scores a policy that keeps the model asked for (gpt-4o) as all-premium: full quality, no cost cut', async () => {
    const summary = await replay('--mmlu', path.join(FIXTURES, 'mmlu'), '--policy', 'budget-guard');
    expect(summary).toEqual({ accuracy: 0.75, premiumAccuracy: 0.75, qualityRatio: 1, costCut: 0, premiumShare: 1, prompts: 4 });
  });
});
