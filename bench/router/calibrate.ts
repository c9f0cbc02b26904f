import { seededRandom } from './seeded.js';

/** A held-out prediction: its score, whether each model was right, and where it came from. */
export interface Scored {
  score: number;
  cheapRight: boolean;
  strongRight: boolean;
  /** Resampled as a whole (an MMLU subject, a slice of GSM8K). */
  group: string;
  /** The knob must hold on each family separately (MMLU, GSM8K), not only on their mix. */
  family: string;
}

export interface Operating {
  premiumShare: number;
  qualityRatio: number;
}

/** What routing `score >= threshold` to the strong model gives on these items. */
export function operatingPoint(items: readonly Scored[], threshold: number): Operating {
  let right = 0;
  let strong = 0;
  let premium = 0;
  for (const it of items) {
    const toStrong = it.score >= threshold;
    premium += toStrong ? 1 : 0;
    right += (toStrong ? it.strongRight : it.cheapRight) ? 1 : 0;
    strong += it.strongRight ? 1 : 0;
  }
  return { premiumShare: items.length ? premium / items.length : 0, qualityRatio: strong ? right / strong : 1 };
}

/**
 * The highest threshold whose quality ratio reaches `target` on items weighted by `weight`
 * (-Infinity: only all-strong reaches it). `sorted` is by score, highest first.
 */
function highestThreshold(sorted: readonly Scored[], weight: (it: Scored) => number, target: number): number {
  let right = 0;
  let strong = 0;
  for (const it of sorted) {
    const w = weight(it);
    right += it.cheapRight ? w : 0;
    strong += it.strongRight ? w : 0;
  }
  if (strong === 0 || right >= target * strong) return Infinity;
  for (let k = 0; k < sorted.length; k++) {
    const it = sorted[k]!;
    const w = weight(it);
    right += ((it.strongRight ? 1 : 0) - (it.cheapRight ? 1 : 0)) * w;
    const next = sorted[k + 1];
    // Ties move together: a threshold cannot split items with the same score.
    if (next && next.score === it.score) continue;
    if (right >= target * strong - 1e-9) return it.score;
  }
  return -Infinity;
}

/**
 * The smallest share sent to the strong model that meets `target` on these very items, with the
 * threshold chosen after seeing their outcomes: a ceiling on what the scores' ranking allows,
 * never a result (a calibrated threshold has to be chosen without the outcomes).
 */
export function leastPremiumShare(items: readonly Scored[], target: number): number {
  const threshold = highestThreshold(
    [...items].sort((a, b) => b.score - a.score),
    () => 1,
    target,
  );
  return operatingPoint(items, threshold).premiumShare;
}

export interface CalibrateOptions {
  items: readonly Scored[];
  target: number;
  /** Resamples of whole groups (with replacement). */
  resamples: number;
  /** Share of resamples in which the threshold must meet the target. */
  confidence: number;
  seed: number;
}

/**
 * A threshold that meets the quality target on unseen groups, not just on these: resample the
 * groups, find per resample the highest threshold that meets the target in every family, and
 * keep the one met in `confidence` of resamples (and on all the items, in each family). Lower
 * thresholds send more to the strong model.
 */
export function calibrateThreshold(o: CalibrateOptions): number {
  const sorted = [...o.items].sort((a, b) => b.score - a.score);
  const families = [...new Set(sorted.map((it) => it.family))].sort();
  const groupsOf = new Map(families.map((f) => [f, [...new Set(sorted.filter((it) => it.family === f).map((it) => it.group))].sort()]));
  const random = seededRandom(o.seed);
  const found: number[] = [];
  for (let r = 0; r < o.resamples; r++) {
    const multiplicity = new Map<string, number>();
    for (const groups of groupsOf.values()) {
      for (let i = 0; i < groups.length; i++) {
        const g = groups[Math.floor(random() * groups.length)]!;
        multiplicity.set(g, (multiplicity.get(g) ?? 0) + 1);
      }
    }
    let threshold = Infinity;
    for (const family of families) {
      const weight = (it: Scored) => (it.family === family ? (multiplicity.get(it.group) ?? 0) : 0);
      threshold = Math.min(threshold, highestThreshold(sorted, weight, o.target));
    }
    found.push(threshold);
  }
  found.sort((a, b) => a - b);
  let pooled = Infinity;
  for (const family of families) pooled = Math.min(pooled, highestThreshold(sorted, (it) => (it.family === family ? 1 : 0), o.target));
  // The table must also hold on the scores it was measured on, whatever the resamples say.
  return Math.min(found[Math.floor((1 - o.confidence) * (found.length - 1))]!, pooled);
}
