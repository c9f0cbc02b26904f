import type { ChatCompletionRequest } from '../../../shared/api.js';
import type { Graph } from '../../../shared/graph.js';
import type { SimulateBody } from '../state/api-client.js';

/** The simulator's form, as plain data so presets can be saved and turned into a request. */
export interface SampleRequest {
  name: string;
  /** A chat completion, or an embeddings call (its texts one a line in `prompt`). */
  kind?: 'chat' | 'embeddings';
  model: string;
  system: string;
  prompt: string;
  maxTokens: number | null;
  stream: boolean;
  hasTools: boolean;
  /** `team=search, feature=chat`, as the x-tollgate-tags header takes them. */
  tags: string;
  tier: string;
  user: string;
  budgetUsedPct: number | null;
  rateLimited: boolean;
}

const base: SampleRequest = {
  name: 'Short question from team search',
  model: 'gpt-4o',
  system: '',
  prompt: 'What is the capital of France?',
  maxTokens: null,
  stream: false,
  hasTools: false,
  tags: 'team=search',
  tier: 'standard',
  user: 'user-42',
  budgetUsedPct: null,
  rateLimited: false,
};

/** Each preset's name says what it tests: who asks, what, and which condition of the policy it meets. */
export const BUILT_IN_PRESETS: readonly SampleRequest[] = [
  base,
  {
    ...base,
    name: 'Long legal analysis, premium tier (team legal)',
    tags: 'team=legal',
    tier: 'premium',
    system: 'You are a careful legal analyst.',
    prompt:
      'Analyse the following contract clauses step by step, compare the indemnification and limitation of liability terms against market standard, identify risks for the licensee, and propose redlines with a justification for each.\n\n' +
      // Long enough (and full of reasoning cues) that the built-in classifier calls it complex.
      'Clause 9.1: The Licensor shall indemnify, defend and hold harmless the Licensee against any third-party claim alleging that the Software infringes any patent, copyright or trade secret, provided the Licensee notifies the Licensor promptly and grants it sole control of the defence. '.repeat(6),
    maxTokens: 2000,
  },
  { ...base, name: 'Team marketing at 120% of its budget', tags: 'team=marketing', budgetUsedPct: 120, prompt: 'Write a tagline for our spring campaign.' },
  { ...base, name: 'Caller over its rate limit', rateLimited: true },
  { ...base, name: 'Embeddings batch from team search', kind: 'embeddings', model: 'text-embedding-3-small', prompt: 'How do I reset my password?\nWhere is my invoice?' },
];

export function parseTags(text: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const [key, ...rest] = pair.split('=');
    if (key?.trim() && rest.length > 0) tags[key.trim()] = rest.join('=').trim();
  }
  return tags;
}

export function toSimulateBody(sample: SampleRequest, graph: Graph): SimulateBody {
  const dynamic = {
    ...(sample.budgetUsedPct !== null ? { budgetUsedPct: sample.budgetUsedPct } : {}),
    ...(sample.rateLimited ? { rateLimited: true } : {}),
  };
  const caller = {
    tags: parseTags(sample.tags),
    ...(sample.tier ? { tier: sample.tier } : {}),
    ...(sample.user ? { user: sample.user } : {}),
    ...(Object.keys(dynamic).length ? { dynamic } : {}),
  };
  if (sample.kind === 'embeddings') {
    const texts = sample.prompt.split('\n').filter((line) => line.trim() !== '');
    return { graph, api: 'embeddings', request: { model: sample.model, input: texts.length ? texts : [' '] }, ...caller };
  }
  const messages: ChatCompletionRequest['messages'] = [
    ...(sample.system ? [{ role: 'system' as const, content: sample.system }] : []),
    { role: 'user', content: sample.prompt || ' ' },
  ];
  const request: ChatCompletionRequest = {
    model: sample.model,
    messages,
    ...(sample.maxTokens ? { max_tokens: sample.maxTokens } : {}),
    ...(sample.stream ? { stream: true } : {}),
    ...(sample.hasTools
      ? { tools: [{ type: 'function', function: { name: 'lookup', description: 'Looks something up', parameters: { type: 'object', properties: {} } } }] }
      : {}),
  };
  return { graph, request, ...caller };
}

const STORAGE_KEY = 'tollgate.simulator.presets';

export function loadSavedPresets(): SampleRequest[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]') as unknown;
    return Array.isArray(raw) ? raw.map((p) => ({ ...base, ...(p as Partial<SampleRequest>) })) : [];
  } catch {
    return [];
  }
}

export function storeSavedPresets(presets: readonly SampleRequest[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(presets));
}
