import { createHmac, randomBytes, randomInt } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 32;
export const KEY_PREFIX = 'tg_';
/** `tg_` + 32 base62 characters: about 190 bits. */
export const KEY_PATTERN = /^tg_[0-9A-Za-z]{32}$/;

/** A new service key secret. randomInt draws without modulo bias. */
export function newKeySecret(): string {
  let out = KEY_PREFIX;
  for (let i = 0; i < SECRET_LENGTH; i++) out += BASE62[randomInt(62)];
  return out;
}

/** A public id for the key, safe for rules, ledgers, logs and budget scopes. */
export function newKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}

/** HMAC-SHA256 of the key under the server secret: fast enough for every request, useless without the secret. */
export function hashKey(secret: Buffer, key: string): string {
  return createHmac('sha256', secret).update(key).digest('base64url');
}
