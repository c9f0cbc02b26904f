import { roundUsd } from '../../shared/cost.js';
import type { BacktestGroup, BacktestOutcome, BacktestTotals } from '../../shared/backtest-api.js';

/** What one side did with one request, as the totals count it. */
export interface SideOutcome {
  outcome: BacktestOutcome;
  costUsd: number;
  degraded: boolean;
  /** Recorded or estimated feedback score; null when none is known. */
  quality: number | null;
}

export class TotalsAccumulator {
  private requests = 0;
  private costUsd = 0;
  private refusals = 0;
  private degradations = 0;
  private cacheHits = 0;
  private qualitySum = 0;
  private qualityScored = 0;

  add(side: SideOutcome): void {
    this.requests++;
    this.costUsd += side.costUsd;
    if (side.outcome === 'refused') this.refusals++;
    if (side.outcome === 'cacheHit') this.cacheHits++;
    if (side.degraded) this.degradations++;
    if (side.quality !== null) {
      this.qualitySum += side.quality;
      this.qualityScored++;
    }
  }

  totals(): BacktestTotals {
    return {
      requests: this.requests,
      costUsd: roundUsd(this.costUsd),
      costMicroUsd: Math.round(this.costUsd * 1e6),
      refusals: this.refusals,
      degradations: this.degradations,
      cacheHits: this.cacheHits,
      quality: this.qualityScored > 0 ? Math.round((this.qualitySum / this.qualityScored) * 1e6) / 1e6 : null,
      qualityScored: this.qualityScored,
    };
  }
}

/** Totals per key (team, model, rule) for both sides; a key may appear on one side only. */
export class GroupedTotals {
  private readonly groups = new Map<string, { baseline: TotalsAccumulator; candidate: TotalsAccumulator }>();

  add(key: string, side: 'baseline' | 'candidate', outcome: SideOutcome): void {
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { baseline: new TotalsAccumulator(), candidate: new TotalsAccumulator() }));
    group[side].add(outcome);
  }

  list(): BacktestGroup[] {
    return [...this.groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, g]) => ({ key, baseline: g.baseline.totals(), candidate: g.candidate.totals() }));
  }
}
