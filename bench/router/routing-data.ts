import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../csv.js';

/** One recorded prompt: whether the cheap (Mixtral) and the strong (GPT-4) model got it right. */
export interface RoutingSample {
  prompt: string;
  /** The MMLU subject, or `gsm8k`: the unit a held-out split leaves out whole. */
  group: string;
  cheapRight: boolean;
  strongRight: boolean;
  /** Recorded answers, when the data has them (GSM8K does, MMLU does not). */
  cheapAnswer?: string;
  strongAnswer?: string;
}

const truth = (cell: string | undefined, where: string): boolean => {
  if (cell === 'True') return true;
  if (cell === 'False') return false;
  throw new Error(`${where}: expected True or False, got ${JSON.stringify(cell)}`);
};

/** RouteLLM's MMLU response files: `prompt`, then one True/False column per model (cheap first). */
export function loadMmluDir(dir: string): RoutingSample[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  if (files.length === 0) throw new Error(`no .csv files in ${dir}`);
  return files.flatMap((file) => {
    const group = file.replace(/^mmlu_/, '').replace(/\.csv$/, '');
    const [header, ...rows] = parseCsv(readFileSync(path.join(dir, file), 'utf8'));
    if (header?.[0] !== 'prompt' || header.length < 3) throw new Error(`${file}: expected columns prompt, cheap, strong; got ${header?.join(', ')}`);
    return rows
      .filter((r) => r.length >= 3)
      .map((r, i) => ({ prompt: r[0]!, group, cheapRight: truth(r[1], `${file} row ${i + 2}`), strongRight: truth(r[2], `${file} row ${i + 2}`) }));
  });
}

/**
 * RouteLLM's GSM8K file: prompt, cheap right, strong right, cheap answer, strong answer. Prompts
 * listed in `gsm8k_contaminated_prompts.jsonl` beside it (if present) are left out.
 */
export function loadGsm8k(file: string, contaminatedFile = path.join(path.dirname(file), 'gsm8k_contaminated_prompts.jsonl')): RoutingSample[] {
  const contaminated = new Set(
    existsSync(contaminatedFile)
      ? readFileSync(contaminatedFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => String((JSON.parse(line) as { eval_prompt?: string }).eval_prompt ?? '').trim())
      : [],
  );
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (header?.[0] !== 'prompt' || header.length < 3) throw new Error(`${file}: expected columns prompt, cheap, strong[, answers]; got ${header?.join(', ')}`);
  return rows
    .filter((r) => r.length >= 3 && !contaminated.has(r[0]!.trim()))
    .map((r, i) => ({
      prompt: r[0]!,
      group: 'gsm8k',
      cheapRight: truth(r[1], `${file} row ${i + 2}`),
      strongRight: truth(r[2], `${file} row ${i + 2}`),
      ...(r[3] !== undefined ? { cheapAnswer: r[3] } : {}),
      ...(r[4] !== undefined ? { strongAnswer: r[4] } : {}),
    }));
}
