/** Dollars for people: cents above a dollar, three significant digits below (LLM requests cost fractions of a cent). */
export function money(usd: number): string {
  if (usd === 0) return '$0';
  const sign = usd < 0 ? '−' : '';
  const abs = Math.abs(usd);
  return `${sign}$${abs >= 1 ? abs.toFixed(2) : Number(abs.toPrecision(3)).toString()}`;
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000;
}

export function percent(ratio: number | null): string {
  return ratio === null ? '—' : `${(ratio * 100).toFixed(1)}%`;
}
