import { z } from 'zod';

/* `GET /api/alerts`: the last alerts raised, with their webhook delivery status. */

export const ALERT_KINDS = ['budget', 'anomaly', 'breaker'] as const;

export const AlertEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  /** What it is about: a budget scope, an anomaly's series, a provider/model. */
  scope: z.string(),
  text: z.string(),
  at: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'unsent']),
  tries: z.number().int(),
});
export type AlertEntry = z.infer<typeof AlertEntrySchema>;

export const AlertsResponseSchema = z.object({ alerts: z.array(AlertEntrySchema) });
