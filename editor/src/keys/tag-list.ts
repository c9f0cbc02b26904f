/** `team=search, env=prod` as a tag map, or the first pair that is not key=value. */
export function parseTagList(text: string): { tags: Record<string, string> } | { error: string } {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const key = eq > 0 ? trimmed.slice(0, eq).trim() : '';
    const value = eq > 0 ? trimmed.slice(eq + 1).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || !value) return { error: `"${trimmed}" is not key=value` };
    tags[key] = value;
  }
  return { tags };
}

export const formatTags = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
