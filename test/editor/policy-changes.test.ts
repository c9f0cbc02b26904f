import { describe, expect, it } from 'vitest';
import { copyPolicy, hasChangesToPublish } from '../../editor/src/state/policy-changes.js';
import { updateNode } from '../../editor/src/state/graph-ops.js';
import { conditionPolicy } from './editor-graphs.js';

describe('what a publish would change', () => {
  it('is nothing for the live graph, whatever its version and timestamp', () => {
    const live = conditionPolicy();
    expect(hasChangesToPublish({ ...structuredClone(live), version: 7, updatedAt: '2026-12-03T10:00:00.000Z' }, live)).toBe(false);
  });

  it('is something after an edit, and always when nothing is live', () => {
    const live = conditionPolicy();
    expect(hasChangesToPublish(updateNode(live, 'route-1', { label: 'Premium' }), live)).toBe(true);
    expect(hasChangesToPublish(live, null)).toBe(true);
  });
});

describe('save as', () => {
  it('copies the graph under a new id and name at version 1, leaving the original alone', () => {
    const original = { ...conditionPolicy(), version: 4 };
    const copy = copyPolicy(original, 'copy', 'Copy');
    expect(copy).toMatchObject({ id: 'copy', name: 'Copy', version: 1 });
    expect(copy.nodes).toEqual(original.nodes);
    copy.nodes[0]!.label = 'changed';
    expect(original.nodes[0]!.label).not.toBe('changed');
    expect(original).toMatchObject({ id: 'policy', version: 4 });
  });
});
