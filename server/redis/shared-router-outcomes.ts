import { z } from 'zod';
import type { RouterLearner, RouterOutcome } from '../routing/router-learner.js';
import { RouterRefSchema } from '../routing/router-ref.js';
import type { StateBus } from './state-bus.js';

const KEY = 'tg:router:outcomes';
/**
 * Outcomes kept for instances that start later or were away: at the shipped 6 h half-life an
 * outcome a day old weighs 1/16, so the newest 20,000 (about 255 bytes each, 5 MB) cover any busy day.
 */
const MAX_KEPT = 20_000;

const OutcomeSchema = z.object({ router: RouterRefSchema, score: z.number().min(0).max(1), at: z.number(), requestId: z.string() });

/**
 * The learned router's online correction shared by every instance: feedback is booked where it
 * arrives, and the router decides wherever the next request lands, so each outcome is announced
 * on the state bus (every instance observes it) and kept in a capped Redis list, from which an
 * instance that starts or reconnects catches up. The learner counts a request once (a re-rating
 * replaces the earlier one), so an outcome seen twice is not counted twice.
 */
export class SharedRouterOutcomes {
  private constructor(
    private readonly bus: StateBus,
    private readonly learner: RouterLearner,
  ) {}

  static async start(options: { bus: StateBus; learner: RouterLearner }): Promise<SharedRouterOutcomes> {
    const shared = new SharedRouterOutcomes(options.bus, options.learner);
    options.bus.on('router-outcome', (payload) => {
      const outcome = OutcomeSchema.safeParse(payload);
      if (outcome.success) shared.learner.observe(outcome.data);
    });
    options.bus.onConnect(() => void shared.catchUp());
    await shared.catchUp();
    return shared;
  }

  /** An outcome fed here: kept for later instances and announced to the running ones (fire and forget; with Redis away it stays local, metered). */
  share(outcome: RouterOutcome): void {
    const redis = this.bus.client;
    redis.client
      .multi()
      .rpush(KEY, JSON.stringify(outcome))
      .ltrim(KEY, -MAX_KEPT, -1)
      .exec()
      .catch((error) => redis.failed('router.outcome', 'local', error));
    this.bus.publish('router-outcome', { ...outcome });
  }

  /** Observes the kept outcomes this instance has not counted, oldest first. Never rejects. */
  async catchUp(): Promise<void> {
    const redis = this.bus.client;
    if (!redis.connected) return;
    let lines: string[];
    try {
      lines = await redis.client.lrange(KEY, 0, -1);
    } catch (error) {
      redis.failed('router.catch-up', 'local', error);
      return;
    }
    const missed: RouterOutcome[] = [];
    for (const line of lines) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        continue;
      }
      const outcome = OutcomeSchema.safeParse(parsed);
      if (outcome.success && !this.learner.hasCounted(outcome.data.requestId, outcome.data.at)) missed.push(outcome.data);
    }
    for (const o of missed.sort((a, b) => a.at - b.at)) this.learner.observe(o);
  }
}
