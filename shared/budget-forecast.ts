/** A budget's spend projected to the end of its window, with a band for how uneven the hours were. */
export interface BudgetForecast {
  spentMicros: number;
  /** Spent plus the mean hourly rate over the hours left. */
  forecastMicros: number;
  /** About a 95% band: ±1.96 standard deviations of the hourly spend, scaled by √(hours left). */
  lowMicros: number;
  highMicros: number;
  /** The forecast over the limit: the hour (from the window's start) the projection crosses it, else null. */
  overAtHour: number | null;
}

/**
 * Projects a window's spend from its hours so far. Hours are treated as independent draws of the
 * same rate, so the band widens with the square root of the hours left, and never drops below
 * what is already spent.
 */
export function forecastBudget({ hourlyMicros, hoursInWindow, limitMicros }: { hourlyMicros: readonly number[]; hoursInWindow: number; limitMicros: number }): BudgetForecast {
  const spent = hourlyMicros.reduce((a, b) => a + b, 0);
  const elapsed = hourlyMicros.length;
  const left = Math.max(0, hoursInWindow - elapsed);
  if (elapsed === 0) return { spentMicros: 0, forecastMicros: 0, lowMicros: 0, highMicros: 0, overAtHour: null };
  const mean = spent / elapsed;
  const variance = elapsed > 1 ? hourlyMicros.reduce((a, h) => a + (h - mean) ** 2, 0) / (elapsed - 1) : 0;
  const forecast = spent + mean * left;
  const spread = 1.96 * Math.sqrt(variance) * Math.sqrt(left);
  let overAtHour: number | null = null;
  if (spent >= limitMicros) {
    let running = 0;
    overAtHour = hourlyMicros.findIndex((h) => (running += h) >= limitMicros);
  } else if (forecast > limitMicros && mean > 0) {
    overAtHour = elapsed + Math.ceil((limitMicros - spent) / mean) - 1;
  }
  return {
    spentMicros: spent,
    forecastMicros: Math.round(forecast),
    lowMicros: Math.round(Math.max(spent, forecast - spread)),
    highMicros: Math.round(forecast + spread),
    overAtHour,
  };
}
