import { describe, expect, it } from 'vitest';
import { fieldLabel } from '../../shared/nodes/field-labels.js';
import { describeSchema } from '../../editor/src/inspector/schema-walk.js';
import { budgetNode } from '../../shared/nodes/budget.js';
import { defaultParams, nodeSpec } from '../../shared/nodes/index.js';
import { rateLimitNode } from '../../shared/nodes/rate-limit.js';

describe('the whenRedisDown field of budgets and rate limits', () => {
  it('is an optional open/closed choice with its own label, unset by default', () => {
    for (const kind of ['budget', 'rateLimit'] as const) {
      const shape = describeSchema(nodeSpec(kind).params);
      const field = shape.type === 'object' ? shape.fields.find((f) => f.key === 'whenRedisDown') : undefined;
      expect(field).toEqual({ key: 'whenRedisDown', optional: true, shape: { type: 'enum', options: ['open', 'closed'] } });
      expect(fieldLabel(kind, 'whenRedisDown')).toBe('When Redis is down');
      expect(defaultParams(kind)).not.toHaveProperty('whenRedisDown');
    }
  });

  it('reaches the fact params (and the countRate action) only when set', () => {
    const node = { id: 'gate', kind: 'rateLimit', label: 'Gate', position: { x: 0, y: 0 } } as const;
    const rate = rateLimitNode;
    const unset = rate.leave(rate.params.parse({}), 'ok', { ...node, params: {} });
    expect(JSON.stringify(unset)).not.toContain('whenRedisDown');
    const closed = rate.leave(rate.params.parse({ whenRedisDown: 'closed' }), 'ok', { ...node, params: {} });
    expect(closed.conditions[0]).toMatchObject({ params: { whenRedisDown: 'closed' } });
    const budget = budgetNode;
    expect(JSON.stringify(budget.leave(budget.params.parse({}), 'ok', { ...node, kind: 'budget', params: {} }))).not.toContain('whenRedisDown');
    expect(budget.leave(budget.params.parse({ whenRedisDown: 'open' }), 'over', { ...node, kind: 'budget', params: {} }).conditions[0]).toMatchObject({ params: { whenRedisDown: 'open' } });
  });
});
