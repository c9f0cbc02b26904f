/** Splits `x-tollgate-tags: team=search,feature=chat`; malformed pairs are reported, not silently dropped. */
export function parseTagHeader(header: string | undefined): { tags: Record<string, string>; invalid: string[] } {
  const tags: Record<string, string> = {};
  const invalid: string[] = [];
  if (!header) return { tags, invalid };
  for (const pair of header.split(',')) {
    const trimmed = pair.trim();
    if (!trimmed) continue;
    const eq = trimmed.indexOf('=');
    const key = eq > 0 ? trimmed.slice(0, eq).trim() : '';
    const value = eq > 0 ? trimmed.slice(eq + 1).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || value === '' || value.length > 80) invalid.push(trimmed);
    else tags[key] = value;
  }
  return { tags, invalid };
}
