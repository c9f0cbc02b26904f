/**
 * A provider-side prompt cache for the fake upstreams, so tests see cached usage only when the
 * request really repeats a prefix the "provider" saw before. A prompt is a list of segments in
 * the provider's prefix order (tools, system, messages); a segment costs ceil(JSON chars / 4)
 * tokens. `breakpoints` are the segment indices a prefix may end at: every index for OpenAI's
 * automatic cache, the blocks marked `cache_control` for Anthropic. Prefixes shorter than
 * `minTokens` are never cached, as the providers do.
 */
import { createHash } from 'node:crypto';

export interface CacheUsage {
  total: number;
  read: number;
  written: number;
}

export class PromptCacheSim {
  private readonly seen = new Set<string>();

  constructor(private readonly options: { minTokens: number; chargeWrites: boolean; increment?: number }) {}

  lookup(segments: unknown[], breakpoints: number[]): CacheUsage {
    const hash = createHash('sha256');
    const ends: { tokens: number; key: string }[] = [];
    let total = 0;
    const marks = new Set(breakpoints);
    segments.forEach((segment, i) => {
      const json = JSON.stringify(segment);
      total += Math.ceil(json.length / 4);
      hash.update(json);
      if (marks.has(i)) ends.push({ tokens: total, key: hash.copy().digest('hex') });
    });
    const cacheable = ends.filter((e) => e.tokens >= this.options.minTokens);
    const hit = [...cacheable].reverse().find((e) => this.seen.has(e.key));
    const step = this.options.increment ?? 1;
    const read = hit ? Math.floor(hit.tokens / step) * step : 0;
    const last = cacheable.at(-1);
    const written = this.options.chargeWrites && last && !this.seen.has(last.key) ? last.tokens - (hit?.tokens ?? 0) : 0;
    for (const end of cacheable) this.seen.add(end.key);
    return { total, read, written };
  }
}

/** An object without its `cache_control` marker, so marked and unmarked copies of a block hash alike. */
export function withoutCacheControl(block: unknown): unknown {
  if (typeof block !== 'object' || block === null || !('cache_control' in block)) return block;
  const { cache_control: _, ...rest } = block as Record<string, unknown>;
  return rest;
}
