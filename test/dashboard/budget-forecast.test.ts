import { describe, expect, it } from 'vitest';
import { forecastBudget } from '../../shared/budget-forecast.js';

describe('forecastBudget', () => {
  it('projects the mean hourly rate over the hours left, with a band from the hourly spread', () => {
    // 4 hours of a 10-hour window: mean 100, sample variance ((−20)²+20²+(−20)²+20²)/3 = 533.33.
    const f = forecastBudget({ hourlyMicros: [80, 120, 80, 120], hoursInWindow: 10, limitMicros: 2000 });
    expect(f.spentMicros).toBe(400);
    expect(f.forecastMicros).toBe(1000);
    const spread = 1.96 * Math.sqrt(1600 / 3) * Math.sqrt(6);
    expect(f.lowMicros).toBe(Math.round(1000 - spread));
    expect(f.highMicros).toBe(Math.round(1000 + spread));
    expect(f.overAtHour).toBeNull();
  });

  it('names the hour the projection crosses the limit', () => {
    // Spent 300 in 3 hours at 100 an hour; the limit of 650 is reached during hour index 6 (the 7th hour).
    const f = forecastBudget({ hourlyMicros: [100, 100, 100], hoursInWindow: 24, limitMicros: 650 });
    expect(f.forecastMicros).toBe(2400);
    expect(f.lowMicros).toBe(2400);
    expect(f.overAtHour).toBe(6);
  });

  it('says when a budget already went over, and never bands below what is spent', () => {
    const f = forecastBudget({ hourlyMicros: [10, 500, 10], hoursInWindow: 4, limitMicros: 400 });
    expect(f.overAtHour).toBe(1);
    expect(f.lowMicros).toBeGreaterThanOrEqual(520);
  });

  it('forecasts nothing before the first hour', () => {
    expect(forecastBudget({ hourlyMicros: [], hoursInWindow: 24, limitMicros: 100 })).toEqual({ spentMicros: 0, forecastMicros: 0, lowMicros: 0, highMicros: 0, overAtHour: null });
  });
});
