import { createHash } from 'node:crypto';

/** Whether a request is in a sample of this fraction: by a hash of its id, so reruns replay the same requests. */
export function inSample(id: string, fraction: number | undefined): boolean {
  if (fraction === undefined || fraction >= 1) return true;
  const bucket = createHash('sha1').update(id).digest().readUInt32BE(0) / 0x1_0000_0000;
  return bucket < fraction;
}
