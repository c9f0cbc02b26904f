import { describe, expect, it } from 'vitest';
import { classify } from '../../server/facts/classify.js';
import { requestFacts } from '../../server/facts/request-facts.js';
import { parseTagHeader } from '../../server/facts/tags.js';
import { DEFAULT_PRICING } from '../../shared/pricing.js';

const caller = { tags: { team: 'search' }, serviceKey: 'key_x', user: '', tier: '' };
const at = new Date('2026-11-28T14:30:00Z');

describe('request facts', () => {
  it('derives every static fact from the request, headers and pricing', () => {
    const facts = requestFacts(
      {
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'You are helpful.' },
          { role: 'user', content: [{ type: 'text', text: 'What is in this picture?' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] },
        ],
        max_tokens: 300,
        stream: true,
        tools: [{ type: 'function', function: { name: 'f' } }],
        user: 'u-42',
        metadata: { feature: 'vision', team: 'ignored-header-wins' },
      },
      { caller, pricing: DEFAULT_PRICING, now: at },
    );
    expect(facts).toMatchObject({
      model: 'gpt-4o',
      provider: 'openai',
      maxTokens: 300,
      messageCount: 2,
      hasTools: true,
      hasImages: true,
      stream: true,
      tags: { team: 'search', feature: 'vision' },
      user: 'u-42',
      serviceKey: 'key_x',
      hour: 14,
      weekday: 'sat',
    });
    expect(facts.promptTokens).toBeGreaterThan(255);
    // 300 output tokens at $10/M plus the prompt at $2.50/M.
    expect(facts.estimatedCostUsd).toBeCloseTo((facts.promptTokens * 2.5 + 300 * 10) / 1e6, 12);
  });

  it('prices an unknown model at zero and assumes the OpenAI wire format', () => {
    const facts = requestFacts({ model: 'my-finetune', messages: [{ role: 'user', content: 'hi' }] }, { caller, pricing: DEFAULT_PRICING, now: at });
    expect(facts).toMatchObject({ provider: 'openai', estimatedCostUsd: 0, maxTokens: 0 });
  });
});

describe('the built-in classifier', () => {
  it.each([
    ['What is the capital of France?', 'chat', 'simple'],
    ['Write a python function that reverses a list', 'code', 'moderate'],
    ['Translate "good morning" into French', 'translate', 'simple'],
    ['Solve 12 * 17 + 3', 'math', 'moderate'],
    ['Summarize the key points of this memo', 'summarize', 'simple'],
    ['In a class of 30 students, 40% are boys. How many girls are there?', 'math', 'moderate'],
    ['Kyle bought a book for $19.50 with a 25% discount. He paid 2 dollars for tax. What was the original price?', 'math', 'moderate'],
    ['What are the three main causes of the 1929 crash, and what happened in 1930 and 1931?', 'chat', 'simple'],
    ['Which French cities, with the exception of Paris, have over 500,000 people?', 'chat', 'simple'],
    ['My code throws an exception when I import numpy', 'code', 'moderate'],
    ['class Cart extends Model { total() {} } — why is total undefined?', 'code', 'moderate'],
  ])('%s → %s, %s', (text, taskType, complexity) => {
    expect(classify({ text, promptTokens: 20, messageCount: 1, hasTools: false })).toEqual({ taskType, complexity });
  });

  it('calls long or reasoning-heavy prompts complex', () => {
    expect(classify({ text: 'Analyze the trade-offs step by step', promptTokens: 400, messageCount: 1, hasTools: false }).complexity).toBe('complex');
    expect(classify({ text: 'hello', promptTokens: 5000, messageCount: 1, hasTools: false }).complexity).toBe('complex');
  });
});

describe('x-tollgate-tags', () => {
  it('parses key=value pairs and reports the malformed ones', () => {
    expect(parseTagHeader(' team=search , feature=chat,')).toEqual({ tags: { team: 'search', feature: 'chat' }, invalid: [] });
    expect(parseTagHeader('team=search,oops,=x,bad key=1').invalid).toEqual(['oops', '=x', 'bad key=1']);
    expect(parseTagHeader(undefined)).toEqual({ tags: {}, invalid: [] });
  });
});
