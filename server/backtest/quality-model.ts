import type { FeedbackRecord } from '../feedback/feedback-record.js';

/**
 * Quality from recorded feedback. A request answered by the model it was answered by keeps its
 * own score; one the candidate sends elsewhere gets the mean score of that model's answers in
 * the feedback read; a model nobody scored gives no estimate (null), rather than a guess.
 */
export class QualityModel {
  private readonly means = new Map<string, number>();

  constructor(private readonly byRequest: ReadonlyMap<string, FeedbackRecord>) {
    const sums = new Map<string, { sum: number; n: number }>();
    for (const record of byRequest.values()) {
      if (!record.servedModel) continue;
      const s = sums.get(record.servedModel) ?? { sum: 0, n: 0 };
      s.sum += record.score;
      s.n++;
      sums.set(record.servedModel, s);
    }
    for (const [model, s] of sums) this.means.set(model, s.sum / s.n);
  }

  /** The score recorded for a request, or null. */
  recorded(id: string): number | null {
    return this.byRequest.get(id)?.score ?? null;
  }

  modelMean(model: string): number | null {
    return this.means.get(model) ?? null;
  }

  /** A candidate's answer from `model`: the recorded score when the same model answered, else the model's mean. */
  estimate(id: string, model: string | null, servedModel: string | null): number | null {
    if (model === null) return null;
    if (model === servedModel) {
      const own = this.recorded(id);
      if (own !== null) return own;
    }
    return this.modelMean(model);
  }
}
