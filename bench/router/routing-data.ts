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

/** pandas writes True/False; other exports write true/false or 1/0 (1.0/0.0 from a float column). */
const truth = (cell: string | undefined, where: string): boolean => {
  const value = cell?.trim().toLowerCase();
  if (value === 'true' || value === '1' || value === '1.0') return true;
  if (value === 'false' || value === '0' || value === '0.0') return false;
  throw new Error(`${where}: expected True or False, got ${JSON.stringify(cell)}`);
};

/** Where the cheap and strong columns are: by model name when the header names Mixtral and GPT-4, else second and third. */
interface Columns {
  cheap: number;
  strong: number;
  cheapAnswer?: number;
  strongAnswer?: number;
}

function columnsOf(header: string[], where: string, expected: string): Columns {
  if (header[0]?.trim() !== 'prompt' || header.length < 3) throw new Error(`${where}: expected columns ${expected}; got ${header.join(', ')}`);
  const named = (re: RegExp, answer: boolean) =>
    header.findIndex((h, i) => i > 0 && re.test(h) && h.trim().endsWith('_response') === answer);
  const cheap = named(/mixtral/i, false);
  const strong = named(/gpt-4/i, false);
  if (cheap > 0 && strong > 0) {
    const cheapAnswer = named(/mixtral/i, true);
    const strongAnswer = named(/gpt-4/i, true);
    return { cheap, strong, ...(cheapAnswer > 0 ? { cheapAnswer } : {}), ...(strongAnswer > 0 ? { strongAnswer } : {}) };
  }
  return { cheap: 1, strong: 2, ...(header.length > 3 ? { cheapAnswer: 3 } : {}), ...(header.length > 4 ? { strongAnswer: 4 } : {}) };
}

/** RouteLLM's MMLU response files: `prompt`, then one True/False column per model (cheap first). */
export function loadMmluDir(dir: string): RoutingSample[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
  if (files.length === 0) throw new Error(`no .csv files in ${dir}`);
  return files.flatMap((file) => {
    const group = file.replace(/^mmlu_/, '').replace(/\.csv$/, '');
    const [header = [], ...rows] = parseCsv(readFileSync(path.join(dir, file), 'utf8'));
    const col = columnsOf(header, file, 'prompt, cheap, strong');
    return rows
      .map((r, i) => ({ r, where: `${file} row ${i + 2}` }))
      .filter(({ r }) => r.length >= 3)
      .map(({ r, where }) => ({ prompt: r[0]!, group, cheapRight: truth(r[col.cheap], where), strongRight: truth(r[col.strong], where) }));
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
  const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const col = columnsOf(header, file, 'prompt, cheap, strong[, answers]');
  return rows
    .map((r, i) => ({ r, where: `${file} row ${i + 2}` }))
    .filter(({ r }) => r.length >= 3 && !contaminated.has(r[0]!.trim()))
    .map(({ r, where }) => ({
      prompt: r[0]!,
      group: 'gsm8k',
      cheapRight: truth(r[col.cheap], where),
      strongRight: truth(r[col.strong], where),
      ...(col.cheapAnswer !== undefined && r[col.cheapAnswer] !== undefined ? { cheapAnswer: r[col.cheapAnswer] } : {}),
      ...(col.strongAnswer !== undefined && r[col.strongAnswer] !== undefined ? { strongAnswer: r[col.strongAnswer] } : {}),
    }));
}
