import bytes from 'bytes';

/** Bytes from a size setting like "64mb" or "1048576"; a value `bytes` cannot read is an error naming the setting. */
export function sizeSetting(value: string, setting: string): number {
  const parsed = bytes.parse(value);
  if (parsed === null || !Number.isFinite(parsed) || parsed < 0) throw new Error(`${setting}: expected a size such as 64mb, got "${value}"`);
  return parsed;
}
