import { describe, expect, it } from 'vitest';
import { liveGlance, liveLines, liveLinesByNode, scopeName } from '../../editor/src/canvas/live-figures.js';
import type { NodeLive } from '../../shared/live-stats.js';
import { conditionPolicy } from './editor-graphs.js';

const quiet: NodeLive = { requests: 0, costUsd: 0, cacheLookups: 0, cacheHits: 0, budgets: [], scopesSeen: 0 };

describe('live figures on the canvas', () => {
  it('names scopes as an owner says them', () => {
    expect(scopeName('tag:team=research')).toBe('research');
    expect(scopeName('tag:team=')).toBe('no team');
    expect(scopeName('global')).toBe('everyone');
    expect(scopeName('serviceKey=svc-1')).toBe('svc-1');
    expect(scopeName('user=ann')).toBe('ann');
  });

  it('shows a budget node today’s spend against the limit per scope, and how many more there are', () => {
    const live = { ...quiet, budgets: [{ key: 'tag:team=research', usedUsd: 4.25, limitUsd: 5 }], scopesSeen: 3 };
    expect(liveLines({ kind: 'budget' }, live)).toEqual(['research: $4.25 of $5.00 (85%)', '+2 more']);
    expect(liveLines({ kind: 'budget' }, { ...quiet, budgets: [{ key: 'global', usedUsd: 0.0034, limitUsd: 50 }], scopesSeen: 1 })).toEqual(['everyone: $0.0034 of $50.00 (<1%)']);
    expect(liveLines({ kind: 'budget' }, quiet)).toEqual(['no spend today']);
  });

  it('shows a cache node its hit rate and a route node its requests and cost', () => {
    expect(liveLines({ kind: 'cache' }, { ...quiet, cacheLookups: 8, cacheHits: 2 })).toEqual(['hit rate 25% (2 of 8) today']);
    expect(liveLines({ kind: 'cache' }, quiet)).toEqual(['no lookups today']);
    expect(liveLines({ kind: 'route' }, { ...quiet, requests: 1, costUsd: 0.00123 })).toEqual(['1 request · $0.0012 today']);
    expect(liveLines({ kind: 'route' }, { ...quiet, requests: 12, costUsd: 3.5 })).toEqual(['12 requests · $3.50 today']);
    expect(liveLines({ kind: 'condition' }, { ...quiet, requests: 5 })).toEqual([]);
  });

  it('shows nothing at all without figures (a draft that differs from what is live)', () => {
    const graph = conditionPolicy();
    expect(liveLinesByNode(graph.nodes, null).size).toBe(0);
    const route = graph.nodes.find((n) => n.kind === 'route')!;
    const byNode = liveLinesByNode(graph.nodes, { policy: 'policy', version: 1, day: '2026-12-03', nodes: { [route.id]: { ...quiet, requests: 2 } } });
    expect([...byNode.keys()]).toEqual([route.id]);
    expect(byNode.get(route.id)).toEqual({ lines: ['2 requests · $0 today'], glance: '2 requests' });
  });

  it('says today in a few words for a node drawn as an overview: the most-spent scope, the hit rate, the requests', () => {
    const budgets = [
      { key: 'tag:team=ads', usedUsd: 10, limitUsd: 50 },
      { key: 'tag:team=research', usedUsd: 4.25, limitUsd: 5 },
    ];
    expect(liveGlance({ kind: 'budget' }, { ...quiet, budgets, scopesSeen: 2 })).toBe('research 85%');
    expect(liveGlance({ kind: 'budget' }, quiet)).toBe('no spend');
    expect(liveGlance({ kind: 'cache' }, { ...quiet, cacheLookups: 8, cacheHits: 2 })).toBe('25% hits');
    expect(liveGlance({ kind: 'route' }, { ...quiet, requests: 1 })).toBe('1 request');
    expect(liveGlance({ kind: 'condition' }, { ...quiet, requests: 5 })).toBeNull();
  });
});
