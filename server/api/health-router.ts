import { Router } from 'express';
import type { CircuitBreakers } from '../runtime/circuit-breaker.js';

/** `/api/health/providers`: each provider and model's circuit breaker (closed, open, halfOpen). */
export function healthRouter(health: CircuitBreakers): Router {
  const router = Router();
  router.get('/health/providers', (_req, res) => {
    res.json({ breakers: health.status() });
  });
  return router;
}
