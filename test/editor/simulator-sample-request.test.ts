import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_PRESETS, loadSavedPresets, parseTags, type SampleRequest, storeSavedPresets, toSimulateBody } from '../../editor/src/simulator/sample-request.js';
import { blankGraph } from '../../editor/src/state/graph-ops.js';
import { requestFacts } from '../../server/facts/request-facts.js';
import { ChatCompletionRequestSchema, type ChatCompletionRequest } from '../../shared/api.js';
import { EmbeddingsRequestSchema } from '../../shared/embeddings-api.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';

const simple = BUILT_IN_PRESETS[0]!;
const preset = (name: string) => BUILT_IN_PRESETS.find((p) => p.name === name)!;
const graph = blankGraph('p', 'P');

describe('parseTags', () => {
  it('reads comma-separated key=value pairs, trimming spaces', () => {
    expect(parseTags('team=search, feature = chat')).toEqual({ team: 'search', feature: 'chat' });
  });

  it('keeps "=" inside a value and drops pairs without a key or without "="', () => {
    expect(parseTags('q=a=b, =x, loose, k=')).toEqual({ q: 'a=b', k: '' });
    expect(parseTags('')).toEqual({});
  });
});

describe('toSimulateBody', () => {
  it('turns the simple preset into a one-message request with its tags, tier and user', () => {
    expect(toSimulateBody(simple, graph)).toEqual({
      graph,
      request: { model: 'gpt-4o', messages: [{ role: 'user', content: 'What is the capital of France?' }] },
      tags: { team: 'search' },
      tier: 'standard',
      user: 'user-42',
    });
  });

  it('puts a system prompt first and adds max_tokens, stream and a tool when the form sets them', () => {
    const sample: SampleRequest = { ...simple, system: 'Be brief.', maxTokens: 50, stream: true, hasTools: true };
    const request = toSimulateBody(sample, graph).request as ChatCompletionRequest;
    expect(request.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(request).toMatchObject({ max_tokens: 50, stream: true });
    expect(request.tools).toHaveLength(1);
  });

  it('never sends an empty user message, and leaves out empty tier and user', () => {
    const body = toSimulateBody({ ...simple, prompt: '', tier: '', user: '' }, graph);
    expect((body.request as ChatCompletionRequest).messages).toEqual([{ role: 'user', content: ' ' }]);
    expect(body).not.toHaveProperty('tier');
    expect(body).not.toHaveProperty('user');
  });

  it('sends dynamic facts only when the form sets them, including a budget of 0%', () => {
    expect(toSimulateBody(simple, graph)).not.toHaveProperty('dynamic');
    expect(toSimulateBody({ ...simple, budgetUsedPct: 0 }, graph).dynamic).toEqual({ budgetUsedPct: 0 });
    expect(toSimulateBody(preset('Caller over its rate limit'), graph).dynamic).toEqual({ rateLimited: true });
    expect(toSimulateBody(preset('Team marketing at 120% of its budget'), graph).dynamic).toEqual({ budgetUsedPct: 120 });
  });

  it('builds a request the gateway schema accepts from every built-in preset', () => {
    for (const sample of BUILT_IN_PRESETS) {
      const body = toSimulateBody(sample, graph);
      const schema = body.api === 'embeddings' ? EmbeddingsRequestSchema : ChatCompletionRequestSchema;
      expect(schema.safeParse(body.request).success, sample.name).toBe(true);
    }
  });

  it('turns an embeddings sample into an embeddings call of its non-empty lines', () => {
    const sample = preset('Embeddings batch from team search');
    expect(toSimulateBody({ ...sample, prompt: 'first\n\n  \nsecond' }, graph)).toEqual({
      graph,
      api: 'embeddings',
      request: { model: 'text-embedding-3-small', input: ['first', 'second'] },
      tags: { team: 'search' },
      tier: 'standard',
      user: 'user-42',
    });
    expect(toSimulateBody({ ...sample, prompt: '' }, graph).request).toEqual({ model: 'text-embedding-3-small', input: [' '] });
  });

  it('names each built-in preset after what it tests: the team it asks as, and the budget share or rate limit it pretends', () => {
    for (const sample of BUILT_IN_PRESETS) {
      const team = /team=([^,]+)/.exec(sample.tags)?.[1];
      if (team && sample.rateLimited === false) expect(sample.name.toLowerCase(), sample.name).toContain(`team ${team}`);
      if (sample.budgetUsedPct !== null) expect(sample.name).toContain(`${sample.budgetUsedPct}%`);
      if (sample.rateLimited) expect(sample.name).toContain('rate limit');
    }
    expect(new Set(BUILT_IN_PRESETS.map((p) => p.name)).size).toBe(BUILT_IN_PRESETS.length);
  });

  it('gives presets the classifier reads as simple and as complex, as their names promise', () => {
    const complexity = (sample: SampleRequest) => {
      const body = toSimulateBody(sample, graph);
      const caller = { tags: body.tags ?? {}, serviceKey: 'key', user: body.user ?? '', tier: body.tier ?? '' };
      return requestFacts(body.request as ChatCompletionRequest, { caller, pricing: DEFAULT_PRICING, now: new Date(0) }).complexity;
    };
    expect(complexity(preset('Short question from team search'))).toBe('simple');
    expect(complexity(preset('Long legal analysis, premium tier (team legal)'))).toBe('complex');
  });
});

describe('saved presets', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  function stubStorage(initial: Record<string, string> = {}): Map<string, string> {
    const store = new Map(Object.entries(initial));
    vi.stubGlobal('localStorage', { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
    return store;
  }

  it('reads back the presets it stored', () => {
    stubStorage();
    const mine = [{ ...simple, name: 'Mine', tags: 'team=ads' }];
    storeSavedPresets(mine);
    expect(loadSavedPresets()).toEqual(mine);
  });

  it('fills fields an older saved preset lacks from the simple preset', () => {
    stubStorage({ 'tollgate.simulator.presets': JSON.stringify([{ name: 'Old', prompt: 'hi' }]) });
    expect(loadSavedPresets()).toEqual([{ ...simple, name: 'Old', prompt: 'hi' }]);
  });

  it('loads nothing from empty, corrupt or non-list storage, or when there is no storage', () => {
    stubStorage();
    expect(loadSavedPresets()).toEqual([]);
    stubStorage({ 'tollgate.simulator.presets': '{not json' });
    expect(loadSavedPresets()).toEqual([]);
    stubStorage({ 'tollgate.simulator.presets': '{"name":"x"}' });
    expect(loadSavedPresets()).toEqual([]);
    vi.stubGlobal('localStorage', undefined);
    expect(loadSavedPresets()).toEqual([]);
  });
});
