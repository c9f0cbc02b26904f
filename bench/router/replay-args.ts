import path from 'node:path';
import { parseArgs } from 'node:util';

export interface ReplayArgs {
  /** A folder of MMLU-style CSV files (prompt, cheap right, strong right). */
  mmlu?: string;
  /** A GSM8K-style CSV (prompt, cheap right, strong right, cheap answer, strong answer). */
  gsm8k?: string;
  /** Prompts to leave out of the GSM8K file; default `gsm8k_contaminated_prompts.jsonl` beside it. */
  contaminated?: string;
  policy: string;
}

/**
 * `--mmlu DIR`, `--gsm8k FILE` (either or both; neither: the GSM8K file in `defaultData`),
 * `--policy ID` (or a bare policy id, as the bench took before), `--contaminated FILE`.
 */
export function parseReplayArgs(argv: readonly string[], defaultData: string): ReplayArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      mmlu: { type: 'string' },
      gsm8k: { type: 'string' },
      contaminated: { type: 'string' },
      policy: { type: 'string' },
    },
  });
  if (positionals.length > 1) throw new Error(`one policy id at most, got ${positionals.join(' ')}`);
  const policy = values.policy ?? positionals[0] ?? 'cost-router';
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(policy)) throw new Error(`--policy: not a policy id: ${JSON.stringify(policy)}`);
  const gsm8k = values.gsm8k ?? (values.mmlu ? undefined : path.join(defaultData, 'gsm8k_responses.csv'));
  return {
    policy,
    ...(values.mmlu ? { mmlu: values.mmlu } : {}),
    ...(gsm8k ? { gsm8k } : {}),
    ...(values.contaminated ? { contaminated: values.contaminated } : {}),
  };
}
