import { Router } from 'express';
import type { AlertsResponseSchema } from '../../shared/alerts-api.js';
import type { z } from 'zod';
import type { Runtime } from '../runtime/runtime.js';

/** `GET /api/alerts`: the last alerts raised here, newest first, with their delivery status. */
export function alertsRouter(rt: Runtime): Router {
  const router = Router();
  router.get('/alerts', (_req, res) => {
    const body: z.infer<typeof AlertsResponseSchema> = { alerts: rt.alertFeed.list() };
    res.json(body);
  });
  return router;
}
