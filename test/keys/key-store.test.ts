import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyStore } from '../../server/keys/key-store.js';
import { AccessTokens } from '../../server/security/admin-token.js';
import { requiredRole } from '../../server/security/api-roles.js';
import { allowedHostSet, hostName, isLoopbackAddress } from '../../server/security/allowed-hosts.js';
import { isForeignOrigin } from '../../server/security/same-origin.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tollgate-keys-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const input = { name: 'svc', tags: { team: 'a' }, policy: null };

describe('the key store', () => {
  it('keeps keys and revocations across a restart, with the persisted secret', async () => {
    const store = await KeyStore.open(dir, {});
    expect(store.anyIssued).toBe(false);
    const kept = await store.create(input);
    const dropped = await store.create(input);
    await store.revoke(dropped.record.id);

    const reopened = await KeyStore.open(dir, {});
    expect(reopened.anyIssued).toBe(true);
    expect(reopened.verify(kept.key)?.id).toBe(kept.record.id);
    expect(reopened.verify(dropped.key)).toBeNull();
  });

  it('checks keys against the TOLLGATE_KEY_SECRET they were hashed with', async () => {
    const secret = { TOLLGATE_KEY_SECRET: 'a-long-enough-server-secret' };
    const { key } = await (await KeyStore.open(dir, secret)).create(input);
    expect((await KeyStore.open(dir, secret)).verify(key)).not.toBeNull();
    expect((await KeyStore.open(dir, { TOLLGATE_KEY_SECRET: 'another-long-server-secret' })).verify(key)).toBeNull();
    await expect(KeyStore.open(dir, { TOLLGATE_KEY_SECRET: 'short' })).rejects.toThrow(/at least 16/);
  });

  it('refuses a keys file it cannot read, naming the field', async () => {
    await writeFile(path.join(dir, 'keys.json'), JSON.stringify({ keys: [{ id: 'key_1', name: 'x' }] }));
    await expect(KeyStore.open(dir, {})).rejects.toThrow(/keys\.json: keys\.0\.hash/);
  });

  it('rejects malformed tokens before hashing', async () => {
    const store = await KeyStore.open(dir, {});
    const { key } = await store.create(input);
    for (const token of ['', key.slice(0, -1), `${key}x`, key.replace('tg_', 'sk_'), `${key.slice(0, -1)}-`]) expect(store.verify(token)).toBeNull();
  });
});

describe('request checks', () => {
  it('compares tokens exactly and tells which role one grants', () => {
    const tokens = new AccessTokens({ admin: '0123456789abcdef', viewer: 'viewer-0123456789' });
    expect(tokens.roleOf('Bearer 0123456789abcdef')).toBe('admin');
    expect(tokens.roleOf('bearer  0123456789abcdef ')).toBe('admin');
    expect(tokens.roleOf('Bearer viewer-0123456789')).toBe('viewer');
    for (const header of [undefined, '', '0123456789abcdef', 'Bearer 0123456789abcde', 'Bearer 0123456789abcdefg', 'Basic 0123456789abcdef']) expect(tokens.roleOf(header)).toBeNull();
    expect(() => new AccessTokens({ admin: 'short' })).toThrow(/at least 16/);
    expect(() => new AccessTokens({ viewer: 'viewer-0123456789' })).toThrow(/need an admin token/);
    expect(() => new AccessTokens({ admin: '0123456789abcdef', editor: '0123456789abcdef' })).toThrow(/own/);
  });

  it('places each /api route under the least role that may use it, admin for anything unknown', () => {
    expect(requiredRole('GET', '/policies/cost-router/versions')).toBe('viewer');
    expect(requiredRole('GET', '/usage')).toBe('viewer');
    expect(requiredRole('GET', '/KEYS')).toBe('admin');
    expect(requiredRole('PUT', '/policies/cost-router/draft')).toBe('editor');
    expect(requiredRole('DELETE', '/Policies/cost-router/draft/')).toBe('editor');
    expect(requiredRole('POST', '/simulate')).toBe('editor');
    expect(requiredRole('POST', '/policies/cost-router/publish')).toBe('admin');
    expect(requiredRole('POST', '/policies/cost-router/rollback')).toBe('admin');
    expect(requiredRole('PUT', '/budgets/global')).toBe('admin');
    expect(requiredRole('POST', '/keys')).toBe('admin');
    expect(requiredRole('POST', '/something-new')).toBe('admin');
  });

  it('reads Host names without their port, and knows loopback listen addresses', () => {
    expect(hostName('Example.COM:8787')).toBe('example.com');
    expect(hostName('[::1]:80')).toBe('[::1]');
    expect(hostName(undefined)).toBeNull();
    expect([...allowedHostSet(' a.example , ,[::2]:1')]).toEqual(['localhost', '127.0.0.1', '[::1]', 'a.example', '[::2]']);
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackAddress)).toBe(true);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'example.com', ''].some(isLoopbackAddress)).toBe(false);
  });

  it('treats only an Origin naming the same host and port as the server own', () => {
    expect(isForeignOrigin(undefined, '127.0.0.1:8787')).toBe(false);
    expect(isForeignOrigin('http://127.0.0.1:8787', '127.0.0.1:8787')).toBe(false);
    expect(isForeignOrigin('http://127.0.0.1:8788', '127.0.0.1:8787')).toBe(true);
    expect(isForeignOrigin('http://localhost:8787', '127.0.0.1:8787')).toBe(true);
    expect(isForeignOrigin('null', '127.0.0.1:8787')).toBe(true);
    expect(isForeignOrigin('http://a.example', undefined)).toBe(true);
  });
});
