import { z } from 'zod';

/** What a budget or rate-limit gate does while the shared store (Redis) is away: admit (`open`) or refuse (`closed`). */
export const WhenRedisDownSchema = z.enum(['open', 'closed']);
export type WhenRedisDown = z.output<typeof WhenRedisDownSchema>;
