import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { summarizeProfile, type CpuProfile, type ProfileSummary } from './cpu-profile-summary.js';
import { measureLatency, measureThroughput } from './load-runs.js';
import { checkTollgateRoutesToUpstream, startTollgate } from './tollgate-process.js';
import { startUpstream } from './upstream.js';

/**
 * Where Tollgate's time goes under the bench's load: a Tollgate child under `node --cpu-prof`,
 * a warm-up run, then one throughput run and one latency run; the profile V8 writes at exit is
 * summarised from the end of the warm-up on.
 */
export async function profileTollgate(repo: string, connections: number, seconds: number): Promise<ProfileSummary> {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'tollgate-prof-'));
  const upstream = await startUpstream(repo);
  try {
    const spawnedAt = performance.now();
    const tollgate = await startTollgate(repo, upstream, { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] });
    let loadFromMs = 0;
    try {
      await checkTollgateRoutesToUpstream(tollgate.target, upstream);
      await measureThroughput(tollgate.target, connections, seconds);
      loadFromMs = performance.now() - spawnedAt;
      await measureThroughput(tollgate.target, connections, seconds);
      await measureLatency(repo, tollgate.target, seconds * 1000, 0);
    } finally {
      // SIGTERM lets server/main.ts exit normally, which is when V8 writes the profile.
      await tollgate.stop();
    }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`Tollgate wrote no CPU profile into ${profileDir}`);
    return summarizeProfile(JSON.parse(readFileSync(path.join(profileDir, file), 'utf8')) as CpuProfile, repo, { skipFirstMs: loadFromMs });
  } finally {
    await upstream.child.stop();
    rmSync(profileDir, { recursive: true, force: true });
  }
}
