import { z } from 'zod';

/**
 * Traffic capture for backtests: off unless the graph (or `TOLLGATE_CAPTURE=all`) turns it on.
 * Captured requests are redacted, compressed and deleted after `retentionDays`.
 */
export const CaptureSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  retentionDays: z.number().int().min(1, 'at least 1 day').max(365, 'at most 365 days').default(7),
});
export type CaptureSettings = z.infer<typeof CaptureSettingsSchema>;

/** Policy-wide settings. Optional, so graphs saved before it existed load and compile to the same bytes. */
export const GraphSettingsSchema = z.object({
  capture: CaptureSettingsSchema.optional(),
});
export type GraphSettings = z.infer<typeof GraphSettingsSchema>;
