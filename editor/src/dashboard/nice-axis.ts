/**
 * Ticks for a money axis, in integer micro-dollars from 0 to at least `maxMicros`, in steps of 1, 2
 * or 5 times a power of ten ($0.00005, $0.0001, …): recharts' own choice at small spend read
 * $0.000035, $0.000105. About `count` steps; an empty chart gets one step of a micro-dollar.
 */
export function niceAxisMicros(maxMicros: number, count = 4): number[] {
  const top = Math.max(1, Math.ceil(maxMicros));
  const rough = top / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const steps = Math.ceil(top / step);
  return Array.from({ length: steps + 1 }, (_, i) => Math.round(i * step));
}
