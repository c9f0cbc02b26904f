import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

const FILE = /^capture-(\d{4}-\d{2}-\d{2})\.jsonl\.gz$/;

/** Where a runtime with this data folder keeps its capture files. */
export function captureDirOf(dataDir: string): string {
  return path.join(dataDir, 'capture');
}

/** `<captureDir>/<policy>/capture-YYYY-MM-DD.jsonl.gz`: a folder per policy, so retention is per policy. */
export function captureFile(captureDir: string, policy: string, day: string): string {
  return path.join(captureDir, policy, `capture-${day}.jsonl.gz`);
}

export interface CaptureFileInfo {
  file: string;
  policy: string;
  day: string;
  bytes: number;
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    // ENOTDIR: a file beside the policy folders (the shipping cursor) is not a policy.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
}

/** The capture files of one policy whose day overlaps [fromDay, toDay], oldest first. */
export async function policyCaptureFiles(captureDir: string, policy: string, fromDay?: string, toDay?: string): Promise<CaptureFileInfo[]> {
  const dir = path.join(captureDir, policy);
  const found: CaptureFileInfo[] = [];
  for (const name of await names(dir)) {
    const day = FILE.exec(name)?.[1];
    if (!day || (fromDay && day < fromDay) || (toDay && day > toDay)) continue;
    const file = path.join(dir, name);
    const bytes = await stat(file).then((s) => s.size, () => -1);
    if (bytes >= 0) found.push({ file, policy, day, bytes });
  }
  return found.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
}

/** Every capture file of every policy, oldest day first. */
export async function allCaptureFiles(captureDir: string): Promise<CaptureFileInfo[]> {
  const all: CaptureFileInfo[] = [];
  for (const policy of await names(captureDir)) all.push(...(await policyCaptureFiles(captureDir, policy)));
  return all.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.file < b.file ? -1 : 1));
}

export interface RetentionOptions {
  captureDir: string;
  /** Days kept per policy, today included; policies not named keep `defaultDays`. */
  retentionDays: ReadonlyMap<string, number>;
  defaultDays: number;
  maxBytes: number;
  today: string;
}

/** Deletes files past their policy's retention, then the oldest files until the total fits the byte cap. Returns what it deleted. */
export async function enforceRetention(options: RetentionOptions): Promise<string[]> {
  const deleted: string[] = [];
  const todayMs = Date.parse(`${options.today}T00:00:00Z`);
  const kept: CaptureFileInfo[] = [];
  for (const info of await allCaptureFiles(options.captureDir)) {
    const days = options.retentionDays.get(info.policy) ?? options.defaultDays;
    const oldest = new Date(todayMs - (days - 1) * 86_400_000).toISOString().slice(0, 10);
    if (info.day < oldest) {
      await unlink(info.file).catch(() => {});
      deleted.push(info.file);
    } else kept.push(info);
  }
  let total = kept.reduce((sum, f) => sum + f.bytes, 0);
  for (const info of kept) {
    if (total <= options.maxBytes) break;
    await unlink(info.file).catch(() => {});
    deleted.push(info.file);
    total -= info.bytes;
  }
  return deleted;
}
