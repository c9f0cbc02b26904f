/** How much a feature says about the strong model's gain (strong right − cheap right), inside groups and between them. */
export interface GainSignal {
  /** Mean over groups of the Pearson correlation inside each group (groups where the feature is constant are skipped). */
  within: number;
  /** Correlation of the groups' mean feature with their mean gain. */
  between: number;
  /** The same without the largest group, which can carry a between-group correlation on its own. */
  betweenWithoutLargest: number;
}

export interface GainPoint {
  group: string;
  feature: number;
  /** 1: only the strong model right, -1: only the cheap one, 0: both or neither. */
  gain: number;
}

export function pearson(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export function gainSignal(points: readonly GainPoint[]): GainSignal {
  const groups = new Map<string, GainPoint[]>();
  for (const p of points) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  const all = [...groups.values()];
  const inside = all.map((g) => pearson(g.map((p) => p.feature), g.map((p) => p.gain))).filter(Number.isFinite);
  const between = (gs: GainPoint[][]) => pearson(gs.map((g) => mean(g.map((p) => p.feature))), gs.map((g) => mean(g.map((p) => p.gain))));
  const largest = all.reduce((a, b) => (b.length > a.length ? b : a), all[0] ?? []);
  return { within: inside.length ? mean(inside) : Number.NaN, between: between(all), betweenWithoutLargest: between(all.filter((g) => g !== largest)) };
}
