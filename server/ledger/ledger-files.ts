import path from 'node:path';

const FILE_PATTERN = /^usage-(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The ledger's folder under the data folder. */
export function ledgerDir(dataDir: string): string {
  return path.join(dataDir, 'ledger');
}

/** `YYYY-MM-DD` of an instant, in UTC: the ledger rotates at UTC midnight. */
export function utcDay(time: Date | string | number): string {
  if (typeof time === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(time) && time.endsWith('Z')) return time.slice(0, 10);
  return new Date(time).toISOString().slice(0, 10);
}

export function ledgerFileName(day: string): string {
  return `usage-${day}.jsonl`;
}

/** The day a ledger file holds, or null for any other file in the folder. */
export function dayOfLedgerFile(name: string): string | null {
  return FILE_PATTERN.exec(name)?.[1] ?? null;
}
