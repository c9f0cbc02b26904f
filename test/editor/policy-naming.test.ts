import { describe, expect, it } from 'vitest';
import { policyIdError } from '../../editor/src/app/use-policy-naming.js';
import { PolicyIdSchema } from '../../shared/graph.js';
import { slugify } from '../../shared/compiler/rule-names.js';

describe('a new policy id (New policy and Save as)', () => {
  it('is refused as the server would refuse it, and when taken', () => {
    expect(policyIdError('Research_EU', [])).toMatch(/lowercase letters/);
    expect(policyIdError('team.v2', [])).toMatch(/lowercase letters/);
    expect(policyIdError('', [])).toBe('must not be empty');
    expect(policyIdError('cost-router', ['cost-router'])).toMatch(/exists/);
    expect(policyIdError('cost-router-eu', ['cost-router'])).toBeNull();
  });

  it('follows from any name as a slug the schema accepts', () => {
    for (const name of ['Copy of Cost router', 'Équipe données', '  Budget: EU / day  ', 'x'.repeat(200), 'Ads_v2.1']) {
      expect(PolicyIdSchema.safeParse(slugify(name)).success).toBe(true);
    }
    expect(slugify('Copy of Cost router')).toBe('copy-of-cost-router');
  });
});
