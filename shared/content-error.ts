import type { z } from 'zod';

/**
 * The error for a `content` that is neither a string nor a valid array of parts. A union only
 * says "invalid input": this names the part that is wrong instead ("content[1].type: … (got
 * input_file)"). `noun` is what the surface calls a part: "content part", "content block".
 */
export function contentError(part: z.ZodType, noun: string) {
  const shape = `content is a string or an array of ${noun}s`;
  return (issue: { input?: unknown }): string => {
    if (!Array.isArray(issue.input)) return shape;
    if (issue.input.length === 0) return `at least one ${noun} is required`;
    for (const [i, item] of issue.input.entries()) {
      const checked = part.safeParse(item);
      if (checked.success) continue;
      const inner = checked.error.issues[0]!;
      const field = inner.path.map((p) => `.${String(p)}`).join('');
      const type = (item as { type?: unknown } | null)?.type;
      const got = (field === '' || field === '.type') && typeof type === 'string' ? ` (got ${type})` : '';
      return `content[${i}]${field}: ${inner.message}${got}`;
    }
    return shape;
  };
}
