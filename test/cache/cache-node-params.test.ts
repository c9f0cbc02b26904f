import { describe, expect, it } from 'vitest';
import { CacheActionSchema } from '../../shared/decision.js';
import { cacheNode, CacheParamsSchema } from '../../shared/nodes/cache.js';

describe('cache node error bound', () => {
  it('defaults to at most 2% wrong hits and loads a graph from before it, dropping its similarity', () => {
    const params = CacheParamsSchema.parse({ mode: 'semantic', similarity: 0.9 });
    expect(params).toEqual({ mode: 'semantic', ttlSeconds: 3600, maxWrongHitRate: 0.02, scopeTags: [] });
    expect(cacheNode.summary(params)).toBe('semantic ≤ 2% wrong, ttl 1 h');
  });

  it('loads a compiled cache action from before it with the default bound', () => {
    const action = CacheActionSchema.parse({ type: 'cache', node: 'c', mode: 'semantic', ttlSeconds: 60, similarity: 0.95, scopeTags: [] });
    expect(action).toEqual({ type: 'cache', node: 'c', mode: 'semantic', ttlSeconds: 60, maxWrongHitRate: 0.02, scopeTags: [] });
  });

  it('refuses a bound outside the calibrated range, naming it', () => {
    const result = CacheParamsSchema.safeParse({ mode: 'semantic', maxWrongHitRate: 0.5 });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]).toMatchObject({ path: ['maxWrongHitRate'], message: expect.stringContaining('at most 0.2') });
  });
});
