import { z } from 'zod';

/* `GET /api/alerts`: the last alerts raised, with their webhook delivery status. */

export const ALERT_KINDS = ['budget', 'anomaly', 'breaker'] as const;

/**
 * `retrying`: a POST failed and another is due; `unsent`: no webhook is set; `elsewhere`: another
 * instance sharing Redis raised the same alert for the same window first and delivers it.
 */
export const ALERT_STATUSES = ['pending', 'retrying', 'delivered', 'failed', 'unsent', 'elsewhere'] as const;

/** Where an anomaly alert sits on the spend chart: the series (group-by and value) and the hour bucket. */
export const AlertSeriesSchema = z.object({
  groupBy: z.string(),
  key: z.string(),
  /** The anomalous bucket's start, ISO 8601 UTC. */
  bucket: z.string(),
  valueMicros: z.number().int(),
  baselineMicros: z.number().int(),
});
export type AlertSeries = z.infer<typeof AlertSeriesSchema>;

export const AlertEntrySchema = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  /** What it is about: a budget scope, an anomaly's series, a provider/model. */
  scope: z.string(),
  text: z.string(),
  at: z.string(),
  status: z.enum(ALERT_STATUSES),
  tries: z.number().int(),
  /** Anomaly alerts only. */
  series: AlertSeriesSchema.optional(),
});
export type AlertEntry = z.infer<typeof AlertEntrySchema>;

export const AlertsResponseSchema = z.object({ alerts: z.array(AlertEntrySchema) });
