import { writeFileSync } from 'node:fs';
import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureChromium, findChromium, INSTALL_COMMAND, launchable } from '../e2e/find-chromium.js';

async function script(body: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-chromium-'));
  const file = path.join(dir, 'browser');
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('finding a Chromium for the browser stories', () => {
  it('does not take /dev/null (a hidden browser) or a program that is not Chromium for one', async () => {
    expect(launchable('/dev/null')).toBe(false);
    expect(launchable(await script('echo "not a browser"'))).toBe(false);
    expect(launchable('/nonexistent/chromium')).toBe(false);
  });

  it('takes the first candidate that answers --version like Chromium', async () => {
    const fake = await script('echo "Chromium 156.0.0.0 built on Debian"');
    expect(findChromium({ env: {}, candidates: ['/dev/null', fake] })).toBe(fake);
    expect(findChromium({ env: { TOLLGATE_CHROMIUM: fake }, candidates: [] })).toBe(fake);
  });

  it('installs Debian chromium with apt-get when none is found and it runs as root, saying so', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tollgate-chromium-'));
    const candidates = [path.join(dir, 'installed-chromium')];
    const calls: string[] = [];
    const said: string[] = [];
    const found = ensureChromium({
      env: {},
      candidates,
      isRoot: true,
      say: (line) => said.push(line),
      run: (command, args) => {
        calls.push([command, ...args].join(' '));
        // What apt-get does for real: the package's binary appears.
        if (args.includes('install')) writeFileSync(candidates[0]!, '#!/bin/sh\necho "Chromium 156"\n', { mode: 0o755 });
        return 0;
      },
    });
    expect(found).toBe(candidates[0]);
    expect(calls.some((c) => c.startsWith('apt-get') && c.includes('update'))).toBe(true);
    expect(calls.some((c) => c.includes('install -y') && c.endsWith('chromium'))).toBe(true);
    expect(said[0]).toMatch(/installing Debian's chromium/);
    expect(said[1]).toContain(candidates[0]);
  });

  it('fails naming the one command to run when it may not install', () => {
    expect(() => ensureChromium({ env: {}, candidates: ['/dev/null'], isRoot: false, say: () => {} })).toThrow(INSTALL_COMMAND);
  });

  it('says which variable is wrong when TOLLGATE_CHROMIUM names no browser', () => {
    expect(() => ensureChromium({ env: { TOLLGATE_CHROMIUM: '/dev/null' }, say: () => {} })).toThrow(/TOLLGATE_CHROMIUM=\/dev\/null/);
  });
});
