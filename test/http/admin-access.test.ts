import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../server/app.js';
import { configFromEnv } from '../../server/config.js';
import { hello, startHarness, type Harness } from './harness.js';

const TOKEN = 'admin-token-for-tests-0123456789';
const bearer = { authorization: `Bearer ${TOKEN}` };
const graph = {
  id: 'always-mini',
  name: 'Always mini',
  nodes: [
    { id: 'request', kind: 'request', label: '', position: { x: 0, y: 0 }, params: {} },
    { id: 'only', kind: 'route', label: '', position: { x: 200, y: 0 }, params: { model: 'gpt-4o-mini' } },
  ],
  edges: [{ id: 'e1', source: 'request', sourceHandle: 'next', target: 'only' }],
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ TOLLGATE_ADMIN_TOKEN: TOKEN });
});
afterAll(() => h.close());

/** node:http, because fetch will not send a Host header of the caller's choosing. */
function rawRequest(url: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const publish = (headers: Record<string, string>, body = JSON.stringify({ graph })) =>
  fetch(`${h.url}/api/policies/always-mini/publish`, { method: 'POST', headers, body });

describe('the admin token', () => {
  it('answers 401 in the API error shape without it or with a wrong one, 200 with it', async () => {
    const none = await fetch(`${h.url}/api/policies`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await none.json()).toEqual({ error: { message: expect.stringContaining('admin token'), code: 'unauthorized', field: 'authorization' } });
    expect((await fetch(`${h.url}/api/policies`, { headers: { authorization: `Bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await fetch(`${h.url}/api/policies`, { headers: { authorization: TOKEN } })).status).toBe(401);
    expect((await fetch(`${h.url}/api/policies`, { headers: bearer })).status).toBe(200);
  });

  it('guards every /api route, whatever the case of the path, and leaves /v1 to service keys', async () => {
    for (const [method, pathname] of [
      ['GET', '/API/policies'],
      ['GET', '/api/keys'],
      ['GET', '/api/budgets'],
      ['PUT', '/api/budgets/global'],
      ['DELETE', '/api/budgets/global'],
      ['POST', '/api/policies/cost-router/rollback'],
    ] as const) {
      const response = await fetch(`${h.url}${pathname}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'GET' || method === 'DELETE' ? undefined : '{"day":1000000}' });
      expect(response.status, `${method} ${pathname}`).toBe(401);
    }
    expect((await h.post('/v1/chat/completions', hello())).status).toBe(200);
  });

  it('guards /metrics too: a scraper sends the token', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const scraped = await fetch(`${h.url}/metrics`, { headers: bearer });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('tollgate_requests_total');
  });

  it('can come from a file (TOLLGATE_ADMIN_TOKEN_FILE)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-token-'));
    const file = path.join(dir, 'token');
    await writeFile(file, `${TOKEN}-from-file\n`);
    const fromFile = await startHarness({ TOLLGATE_ADMIN_TOKEN_FILE: file });
    try {
      expect((await fetch(`${fromFile.url}/api/policies`, { headers: bearer })).status).toBe(401);
      expect((await fetch(`${fromFile.url}/api/policies`, { headers: { authorization: `Bearer ${TOKEN}-from-file` } })).status).toBe(200);
    } finally {
      await fromFile.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('roles', () => {
  it('lets a viewer read, an editor save drafts and simulate, and only the admin publish or issue keys', async () => {
    const viewer = { authorization: 'Bearer viewer-token-0123456789' };
    const editor = { authorization: 'Bearer editor-token-0123456789' };
    const roles = await startHarness({ TOLLGATE_ADMIN_TOKEN: TOKEN, TOLLGATE_EDITOR_TOKEN: 'editor-token-0123456789', TOLLGATE_VIEWER_TOKEN: 'viewer-token-0123456789' });
    const json = { 'content-type': 'application/json' };
    const draft = (headers: Record<string, string>) => fetch(`${roles.url}/api/policies/always-mini/draft`, { method: 'PUT', headers: { ...json, ...headers }, body: JSON.stringify({ graph }) });
    const publishAs = (headers: Record<string, string>) => fetch(`${roles.url}/api/policies/always-mini/publish`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify({ graph }) });
    try {
      expect((await fetch(`${roles.url}/api/policies`, { headers: viewer })).status).toBe(200);
      const refused = await draft(viewer);
      expect(refused.status).toBe(403);
      expect((await refused.json()).error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('editor role') });
      expect((await draft(editor)).status).toBe(200);
      expect((await publishAs(editor)).status).toBe(403);
      expect((await fetch(`${roles.url}/api/keys`, { headers: editor })).status).toBe(403);
      expect((await fetch(`${roles.url}/api/keys`, { method: 'POST', headers: { ...json, ...viewer }, body: '{"name":"x"}' })).status).toBe(403);
      expect((await publishAs(bearer)).status).toBe(200);
    } finally {
      await roles.close();
    }
  });
});

describe('state changes refuse what a foreign web page can send', () => {
  it('refuses a text/plain or form publish with 415, even with the token', async () => {
    const plain = await publish({ ...bearer, 'content-type': 'text/plain' });
    expect(plain.status).toBe(415);
    expect((await plain.json()).error).toMatchObject({ code: 'unsupported_media_type', field: 'content-type' });
    expect((await publish({ ...bearer, 'content-type': 'application/x-www-form-urlencoded' }, 'graph=x')).status).toBe(415);
    expect((await publish(bearer)).status).toBe(415);
  });

  it('refuses a foreign Origin with 403 and accepts the server own one', async () => {
    const foreign = await publish({ ...bearer, 'content-type': 'application/json', origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await foreign.json()).error).toMatchObject({ code: 'foreign_origin', field: 'origin' });
    expect((await publish({ ...bearer, 'content-type': 'application/json', origin: 'null' })).status).toBe(403);
    const own = await publish({ ...bearer, 'content-type': 'application/json; charset=utf-8', origin: h.url });
    expect(own.status).toBe(200);
  });

  it('lets a bodyless DELETE through without a content type', async () => {
    const response = await fetch(`${h.url}/api/budgets/global`, { method: 'DELETE', headers: bearer });
    expect(response.status).toBe(204);
  });
});

describe('the Host header', () => {
  it('must be a loopback name or listed: 403 on /api, the editor and /v1 otherwise', async () => {
    const evil = { host: 'evil.example:80' };
    const api = await rawRequest(`${h.url}/api/policies`, { headers: { ...evil, ...bearer } });
    expect(api.status).toBe(403);
    expect(JSON.parse(api.body).error).toMatchObject({ code: 'host_not_allowed', field: 'host' });
    expect((await rawRequest(`${h.url}/`, { headers: evil })).status).toBe(403);
    const v1 = await rawRequest(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { ...evil, 'content-type': 'application/json' }, body: JSON.stringify(hello()) });
    expect(v1.status).toBe(403);
    expect(JSON.parse(v1.body).error).toMatchObject({ type: 'invalid_request_error', code: 'host_not_allowed' });
    for (const host of ['localhost:1', '127.0.0.1', '[::1]:8787']) {
      expect((await rawRequest(`${h.url}/api/policies`, { headers: { host, ...bearer } })).status, host).toBe(200);
    }
  });

  it('accepts names listed in TOLLGATE_ALLOWED_HOSTS', async () => {
    expect(configFromEnv({ TOLLGATE_ALLOWED_HOSTS: 'a.example', TOLLGATE_REQUIRE_KEYS: '1' })).toMatchObject({ allowedHosts: 'a.example', requireKeys: true });
    const listed = await startHarness({}, { allowedHosts: 'tollgate.internal, Gateway.Example:8443' });
    try {
      const headers = { host: 'gateway.example' };
      expect((await rawRequest(`${listed.url}/api/policies`, { headers })).status).toBe(200);
      expect((await rawRequest(`${listed.url}/api/policies`, { headers: { host: 'tollgate.internal:8787' } })).status).toBe(200);
      expect((await rawRequest(`${listed.url}/api/policies`, { headers: { host: 'other.example' } })).status).toBe(403);
    } finally {
      await listed.close();
    }
  });
});

describe('listening beyond loopback', () => {
  it('is refused without an admin token, with a message saying what to set', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tollgate-listen-'));
    const config = configFromEnv({}, { rulesDir: path.join(dir, 'rules'), dataDir: path.join(dir, 'data'), logLevel: 'silent', watchRules: false });
    try {
      await expect(startServer(config, { host: '0.0.0.0', port: 0 }, { env: {} })).rejects.toThrow(/without an admin token.*TOLLGATE_ADMIN_TOKEN/);
      const guarded = await startServer(config, { host: '0.0.0.0', port: 0 }, { env: { TOLLGATE_ADMIN_TOKEN: TOKEN } });
      const port = new URL(guarded.url).port;
      expect((await fetch(`http://127.0.0.1:${port}/api/policies`, { headers: bearer })).status).toBe(200);
      await guarded.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
