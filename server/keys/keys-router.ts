import { Router } from 'express';
import { CreateKeyBodySchema, type KeyListResponse, type KeySummary } from '../../shared/keys-api.js';
import { HttpError } from '../errors/http-error.js';
import { parseBody } from '../errors/parse-body.js';
import type { Runtime } from '../runtime/runtime.js';
import type { KeyStore, StoredKey } from './key-store.js';

/** A key's budgets live with every other per-scope limit, under the scope a `serviceKey` budget node counts in. */
const budgetScope = (id: string) => `serviceKey=${id}`;

/** `/api/keys`: issue (the secret is in the 201 answer only), list (never a secret or hash), revoke. */
export function keysRouter(rt: Runtime, keys: KeyStore): Router {
  const router = Router();

  router.post('/keys', async (req, res) => {
    const body = parseBody(CreateKeyBodySchema, req.body, { surface: 'api' });
    if (body.policy && !rt.store.get(body.policy)) {
      throw new HttpError({ status: 400, message: `policy: no live policy "${body.policy}"`, code: 'unknown_policy', field: 'policy' });
    }
    const { record, key } = await keys.create({ name: body.name, tags: body.tags, policy: body.policy ?? null });
    if (body.budgets) await rt.state.budgets.set(budgetScope(record.id), body.budgets);
    res.status(201).setHeader('cache-control', 'no-store');
    res.json({ id: record.id, key });
  });

  router.get('/keys', (_req, res) => {
    const body: KeyListResponse = { keys: keys.list().map((k) => summary(rt, k)) };
    res.json(body);
  });

  router.delete('/keys/:id', async (req, res) => {
    if (!(await keys.revoke(req.params.id))) throw new HttpError({ status: 404, message: `No live service key ${req.params.id}`, code: 'not_found', field: 'id' });
    res.status(204).end();
  });

  return router;
}

function summary(rt: Runtime, key: StoredKey): KeySummary {
  return {
    id: key.id,
    name: key.name,
    tags: key.tags,
    policy: key.policy,
    budgets: rt.state.budgets.get(budgetScope(key.id)),
    createdAt: key.createdAt,
    revokedAt: key.revokedAt,
  };
}
