import { z } from 'zod';
import { DIAGNOSTICS } from './diagnostics.js';

const codes = Object.keys(DIAGNOSTICS) as [keyof typeof DIAGNOSTICS, ...(keyof typeof DIAGNOSTICS)[]];

export const DiagnosticSchema = z.object({
  code: z.enum(codes),
  name: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  nodeId: z.string().optional(),
  edgeId: z.string().optional(),
  field: z.string().optional(),
});
export const DiagnosticsListSchema = z.array(DiagnosticSchema);
