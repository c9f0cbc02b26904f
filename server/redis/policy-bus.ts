import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { serializeRuleFile, type RuleFile } from '../../shared/rule-file.js';
import type { Logger } from '../log.js';
import type { PolicyStore } from '../policies/policy-store.js';
import { parseRuleFile } from '../policies/read-rule-file.js';
import type { VersionHistory, VersionMeta } from '../policies/version-history.js';
import type { SharedRedis } from './redis-connection.js';
import { RedisScript } from './redis-script.js';

const CHANNEL = 'tg:policies:published';
/** The last published file of each policy, so an instance that (re)connects catches up on what it missed. */
const LATEST = 'tg:policies:latest';
const POLICY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * Keeps a file as the latest only over an older version (the loser of a publish race must not
 * replace the winner's copy), and tells the others either way, so each keeps it in its history.
 */
const ANNOUNCE = new RedisScript(`
redis.call('PUBLISH', ARGV[4], ARGV[5])
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if stored then
  local ok, file = pcall(cjson.decode, stored)
  if ok and type(file) == 'table' and type(file.policy) == 'table' and tonumber(file.policy.version) and tonumber(file.policy.version) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

export interface PolicyBusOptions {
  redis: SharedRedis;
  store: PolicyStore;
  log: Logger;
  /** Where a version published elsewhere is kept too, so it can be listed and rolled back to here. */
  history?: VersionHistory;
}

/**
 * Makes a publish on one instance live on all: the publisher announces the rule file on a Redis
 * channel and keeps it as the latest; every other instance writes it to its rules folder (the
 * files, committed to git, stay the source of truth) and installs it. A file only replaces an
 * older version, so a late or repeated message changes nothing.
 */
export class PolicyBus {
  private readonly instance = randomBytes(6).toString('hex');
  private readonly sub: Redis;
  /** Policies published through this instance: the ones it re-announces after an outage (not every file it merely loaded). */
  private readonly published = new Set<string>();
  private readonly onClientReady = (): void => void this.catchUp();

  private constructor(private readonly options: PolicyBusOptions) {
    this.sub = options.redis.subscriber();
  }

  static async start(options: PolicyBusOptions): Promise<PolicyBus> {
    const bus = new PolicyBus(options);
    bus.sub.on('message', (_channel, message: string) => void bus.receive(message));
    // Also on every reconnect: messages published while this instance was cut off are not replayed.
    bus.sub.on('ready', () => {
      bus.sub.subscribe(CHANNEL).catch((error) => options.redis.failed('policy.subscribe', 'local', error));
      void bus.catchUp();
    });
    // The command connection may come back after the subscriber: catch up when it does too.
    options.redis.client.on('ready', bus.onClientReady);
    await bus.sub.subscribe(CHANNEL).catch((error) => options.redis.failed('policy.subscribe', 'local', error));
    return bus;
  }

  /**
   * After a publish here; never throws (Redis away: the others pick it up from the latest copy on
   * reconnect, or from git). Who published and why travel with the message, into the others'
   * histories; a catch-up after an outage has the file only.
   */
  announce(ruleFile: RuleFile, meta?: VersionMeta): void {
    this.published.add(ruleFile.policy.id);
    const text = serializeRuleFile(ruleFile);
    const { client } = this.options.redis;
    ANNOUNCE.run(client, [LATEST], [ruleFile.policy.id, ruleFile.policy.version, text, CHANNEL, JSON.stringify({ from: this.instance, text, ...(meta ? { meta } : {}) })])
      .catch((error) => this.options.redis.failed('policy.announce', 'local', error));
  }

  async close(): Promise<void> {
    this.options.redis.client.off('ready', this.onClientReady);
    this.sub.disconnect();
  }

  /**
   * After a (re)connect: take what others published meanwhile, then announce what was published
   * here while Redis was away (or what a Redis restarted empty lost), so every instance converges
   * on the newest version of each policy.
   */
  private async catchUp(): Promise<void> {
    try {
      const all = await this.options.redis.client.hgetall(LATEST);
      const versions = new Map<string, number>();
      for (const text of Object.values(all)) {
        const parsed = parseRuleFile(text);
        if (parsed.ok) versions.set(parsed.ruleFile.policy.id, parsed.ruleFile.policy.version);
        await this.apply(text);
      }
      for (const status of this.options.store.list()) {
        const live = status.live?.ruleFile;
        if (live && (versions.get(live.policy.id) ?? 0) < live.policy.version && this.published.has(live.policy.id)) this.announce(live);
      }
    } catch (error) {
      this.options.redis.failed('policy.catch-up', 'local', error);
    }
  }

  private async receive(message: string): Promise<void> {
    let parsed: { from?: unknown; text?: unknown; meta?: { author?: unknown; message?: unknown } };
    try {
      parsed = JSON.parse(message) as typeof parsed;
    } catch {
      return;
    }
    if (parsed.from === this.instance || typeof parsed.text !== 'string') return;
    const meta = parsed.meta && typeof parsed.meta === 'object' ? { author: String(parsed.meta.author ?? '').slice(0, 200), message: String(parsed.meta.message ?? '').slice(0, 2000) } : undefined;
    await this.apply(parsed.text, meta);
  }

  private async apply(text: string, meta?: VersionMeta): Promise<void> {
    const { store, log } = this.options;
    const result = parseRuleFile(text);
    if (!result.ok) return void log.error({ error: result.error }, 'a published rule file from another instance is invalid; ignored');
    const { ruleFile } = result;
    // The id becomes a file name here; one that is not a plain policy file name is refused, not written.
    if (!POLICY_ID.test(ruleFile.policy.id)) return void log.error({ policy: ruleFile.policy.id }, 'a published rule file from another instance has an unusable policy id; ignored');
    try {
      const { history } = this.options;
      if (history && !(await history.get(ruleFile.policy.id, ruleFile.policy.version))) await history.record(ruleFile, meta);
      // Installed first: being live within a second matters more than the copy on disk.
      if (!store.installIfNewer(ruleFile)) return;
      await store.persist(ruleFile.policy.id);
      log.info({ policy: ruleFile.policy.id, version: ruleFile.policy.version }, 'policy published on another instance is live here');
    } catch (error) {
      log.error({ policy: ruleFile.policy.id, error: (error as Error).message }, 'a policy published on another instance could not be installed');
    }
  }
}
