import { leastPremiumShare, type Scored } from './calibrate.js';

/** Outcomes of one prompt for both models, and the subject (or other group) it belongs to. */
export interface Outcome {
  group: string;
  cheapRight: boolean;
  strongRight: boolean;
}

export interface OracleCeilings {
  /** Knowing each prompt's outcomes: only prompts the strong model alone gets right go to it. */
  perPrompt: number;
  /**
   * Knowing each group's gain but nothing inside it: whole groups go to the strong model, the
   * most rewarding first. The best any signal can do that tells topics apart but not hard from
   * easy questions inside a topic (a subject classifier, a topic embedding).
   */
  perGroup: number;
  /** Routing a random share: what any router has to beat. */
  random: number;
}

const gainOf = (o: Outcome) => (o.strongRight ? 1 : 0) - (o.cheapRight ? 1 : 0);

/** Premium shares that reach `target` (share of all-strong accuracy) with perfect hindsight at two grains. */
export function oracleCeilings(outcomes: readonly Outcome[], target: number): OracleCeilings {
  const groupGain = new Map<string, { sum: number; n: number }>();
  for (const o of outcomes) {
    const g = groupGain.get(o.group) ?? { sum: 0, n: 0 };
    g.sum += gainOf(o);
    g.n += 1;
    groupGain.set(o.group, g);
  }
  const scored = (score: (o: Outcome, i: number) => number): Scored[] => outcomes.map((o, i) => ({ ...o, family: 'all', score: score(o, i) }));
  const cheap = outcomes.filter((o) => o.cheapRight).length;
  const strong = outcomes.filter((o) => o.strongRight).length;
  // Random routing of a share p keeps cheap + p·(strong − cheap) right answers.
  const random = strong <= cheap ? 0 : Math.min(1, Math.max(0, (target * strong - cheap) / (strong - cheap)));
  return {
    // A tie moves as one block; prompts with the same gain are interchangeable, so break ties by position.
    perPrompt: leastPremiumShare(scored((o, i) => gainOf(o) + i / (outcomes.length + 1) / 2), target),
    perGroup: leastPremiumShare(
      scored((o) => {
        const g = groupGain.get(o.group)!;
        return g.sum / g.n;
      }),
      target,
    ),
    random,
  };
}
