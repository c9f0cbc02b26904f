/** The windows a backtest offers first; `to` runs a minute past now so the requests just captured are in. */
export const WINDOW_PRESETS = [
  { id: 'hour', label: 'Last hour', ms: 3_600_000 },
  { id: 'day', label: 'Last 24 hours', ms: 86_400_000 },
  { id: 'week', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;
export type WindowPreset = (typeof WINDOW_PRESETS)[number]['id'];

const AHEAD_MS = 60_000;

/** `2026-12-03T12:05`: what a datetime-local input holds, read as UTC. */
export function toInputValue(iso: string): string {
  return iso.slice(0, 16);
}

/** The input's value back to an ISO instant; null while it is half typed. */
export function fromInputValue(value: string): string | null {
  const ms = Date.parse(`${value}:00Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

export function presetWindow(preset: WindowPreset, now: number): { from: string; to: string } {
  const ms = WINDOW_PRESETS.find((p) => p.id === preset)!.ms;
  // Whole minutes, so the inputs show exactly the window that runs.
  const to = Math.ceil((now + AHEAD_MS) / AHEAD_MS) * AHEAD_MS;
  return { from: new Date(to - ms).toISOString(), to: new Date(to).toISOString() };
}
