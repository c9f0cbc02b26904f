/** One colour per series, stable by position; `(other)` is always grey. */
const PALETTE = ['#4f46e5', '#f59e0b', '#10b981', '#ef4444', '#06b6d4', '#a855f7', '#84cc16', '#ec4899'];

export function seriesColor(key: string, index: number): string {
  return key === '(other)' ? '#94a3b8' : PALETTE[index % PALETTE.length]!;
}
