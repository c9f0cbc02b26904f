import { Router } from 'express';
import type { RouterLearner } from '../routing/router-learner.js';

/** `/api/router/state`: the learned router's feedback tallies and the threshold shifts they earned. */
export function routerStateRouter(learner: RouterLearner): Router {
  const router = Router();
  router.get('/router/state', (_req, res) => {
    res.json(learner.state(Date.now()));
  });
  return router;
}
