import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../policies/atomic-write.js';

/** How far the local ledger has been shipped: everything before `offset` bytes of `file`, and every earlier file. */
export const ShipCursorSchema = z.object({ file: z.string(), offset: z.number().int().min(0) });
export type ShipCursor = z.infer<typeof ShipCursorSchema>;

export const CURSOR_FILE = 'shipped-to-database.json';

export async function readCursor(dir: string, file = CURSOR_FILE): Promise<ShipCursor | null> {
  try {
    const parsed = ShipCursorSchema.safeParse(JSON.parse(await readFile(path.join(dir, file), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function writeCursor(dir: string, cursor: ShipCursor, file = CURSOR_FILE): Promise<void> {
  return writeFileAtomic(path.join(dir, file), JSON.stringify(cursor));
}
