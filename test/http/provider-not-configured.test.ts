import { Writable } from 'node:stream';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLedger } from '../../server/ledger/read-ledger.js';
import type { LedgerRecord } from '../../server/ledger/ledger-record.js';
import { startAnthropicUpstream } from '../support/anthropic-upstream.js';
import { startOpenAIUpstream, type UpstreamServer } from '../support/openai-upstream.js';
import { hello, startHarness, type Harness } from './harness.js';

/** A pino logger whose lines land in an array, to read the startup warning. */
function capturingLogger(lines: Record<string, unknown>[]) {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return pino({ level: 'warn' }, sink);
}

async function ledgerRecords(h: Harness): Promise<LedgerRecord[]> {
  const records: LedgerRecord[] = [];
  for await (const record of readLedger(path.join(h.dataDir, 'ledger'), { onSkip: () => {} })) records.push(record);
  return records;
}

describe('OpenAI configured, Anthropic not: the Claude fallback is not answered by the simulator', () => {
  let openai: UpstreamServer;
  let h: Harness;
  const logLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    openai = await startOpenAIUpstream({ apiKey: 'sk-upstream-key-123' });
    h = await startHarness({ OPENAI_BASE_URL: openai.url, OPENAI_API_KEY: 'sk-upstream-key-123' }, {}, { log: capturingLogger(logLines) });
  });
  afterAll(async () => {
    await h.close();
    await openai.close();
  });

  it('warns at startup about every route whose provider is not configured, by policy, node and model', () => {
    const warning = logLines.find((l) => String(l.msg).startsWith('some routes cannot be served'));
    expect(warning).toBeDefined();
    const routes = warning!.routes as { policy: string; node: string; model: string; missing: string }[];
    expect(routes).toContainEqual(expect.objectContaining({ policy: 'cost-router', model: 'claude-3-5-haiku-20241022', missing: expect.stringContaining('ANTHROPIC_API_KEY') }));
    expect(routes.every((r) => !r.model.startsWith('gpt-'))).toBe(true);
  });

  it('warns again when a policy with such a route is published', async () => {
    const graph = {
      id: 'claude-only',
      name: 'Claude only',
      nodes: [
        { id: 'request', kind: 'request' },
        { id: 'to-claude', kind: 'route', params: { model: 'claude-3-5-haiku-20241022' } },
      ],
      edges: [{ id: 'request.next', source: 'request', sourceHandle: 'next', target: 'to-claude' }],
    };
    expect((await h.post('/api/policies/claude-only/publish', { graph })).status).toBe(200);
    const warning = logLines.find((l) => String(l.msg).startsWith('the published policy has routes'));
    expect(warning?.routes).toEqual([{ policy: 'claude-only', node: 'to-claude', model: 'claude-3-5-haiku-20241022', missing: expect.stringContaining('ANTHROPIC_API_KEY') }]);
  });

  it('serves the OpenAI route from the upstream as before', async () => {
    const { response } = await h.client.chat.completions.create(hello()).withResponse();
    expect(response.headers.get('x-tollgate-provider')).toBe('openai');
  });

  it('answers 503 provider_not_configured naming ANTHROPIC_API_KEY when OpenAI fails, and bills nothing', async () => {
    openai.setFault({ status: 503 });
    const error = await h.client.chat.completions.create(hello()).catch((e: unknown) => e);
    openai.setFault(null);
    expect(error).toMatchObject({ status: 503, type: 'upstream_error', code: 'provider_not_configured' });
    expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    expect((error as Error).message).not.toContain('simulated');
    expect((error as Error).message).toContain('failed and the last one is not configured');
    const failed = (await ledgerRecords(h)).filter((r) => r.status === 503);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ costUsd: 0, servedModel: null, provider: null });
    expect(failed[0]!.error).toContain('ANTHROPIC_API_KEY');
  });

  it('fails a stream the same way before any byte is sent', async () => {
    openai.setFault({ status: 500 });
    const error = await h.client.chat.completions.create({ ...hello(), stream: true }).catch((e: unknown) => e);
    openai.setFault(null);
    expect(error).toMatchObject({ status: 503, code: 'provider_not_configured' });
  });
});

describe('Anthropic configured, OpenAI not', () => {
  it('counts the unconfigured OpenAI route as a failed attempt and falls back to the Claude route', async () => {
    const anthropic = await startAnthropicUpstream();
    const h = await startHarness({ ANTHROPIC_BASE_URL: anthropic.url });
    try {
      const { data, response } = await h.client.chat.completions.create(hello()).withResponse();
      expect(response.headers.get('x-tollgate-provider')).toBe('anthropic');
      expect(data.choices[0]!.message.content).toContain('echo claude-3-5-haiku-20241022');
      const [record] = await ledgerRecords(h);
      expect(record).toMatchObject({ status: 200, provider: 'anthropic', attempts: 2 });
    } finally {
      await h.close();
      await anthropic.close();
    }
  });
});

describe('the simulator switch', () => {
  it('answers from the simulator when no real provider is configured at all', async () => {
    const h = await startHarness({});
    try {
      const { response } = await h.client.chat.completions.create(hello()).withResponse();
      expect(response.headers.get('x-tollgate-provider')).toBe('simulator');
    } finally {
      await h.close();
    }
  });

  it('TOLLGATE_SIMULATOR=1 lets it stand in for an unconfigured provider next to a real one', async () => {
    const openai = await startOpenAIUpstream();
    openai.setFault({ status: 503 });
    const h = await startHarness({ OPENAI_BASE_URL: openai.url, TOLLGATE_SIMULATOR: '1' });
    try {
      const { data, response } = await h.client.chat.completions.create(hello()).withResponse();
      expect(response.headers.get('x-tollgate-provider')).toBe('simulator');
      expect(data.choices[0]!.message.content).toContain('[simulated claude-3-5-haiku-20241022]');
    } finally {
      await h.close();
      await openai.close();
    }
  });

  it('TOLLGATE_SIMULATOR=0 turns it off even with nothing configured: 503 naming OPENAI_API_KEY', async () => {
    const h = await startHarness({ TOLLGATE_SIMULATOR: '0' });
    try {
      const error = await h.client.chat.completions.create(hello()).catch((e: unknown) => e);
      expect(error).toMatchObject({ status: 503, code: 'provider_not_configured' });
      expect((error as Error).message).toContain('OPENAI_API_KEY');
      expect((error as Error).message).toContain('No provider on this route is configured');
    } finally {
      await h.close();
    }
  });
});
