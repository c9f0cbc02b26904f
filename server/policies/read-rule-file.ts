import { readFile } from 'node:fs/promises';
import type { RuleFile } from '../../shared/rule-file.js';
import { RuleFileSchema } from '../../shared/rule-file.js';

export type ReadResult = { ok: true; ruleFile: RuleFile } | { ok: false; error: string };

/** Parses and validates one rule file, turning every failure into a sentence that names the spot. */
export function parseRuleFile(text: string, expectedId?: string): ReadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${(error as Error).message}` };
  }
  const parsed = RuleFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join('.') || '(root)'}: ${issue.message}` };
  }
  if (expectedId && parsed.data.policy.id !== expectedId) {
    return { ok: false, error: `policy.id is "${parsed.data.policy.id}" but the file is named ${expectedId}.json` };
  }
  return { ok: true, ruleFile: parsed.data };
}

export async function readRuleFile(file: string, expectedId?: string): Promise<ReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  return parseRuleFile(text, expectedId);
}
