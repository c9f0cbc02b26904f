import pino from 'pino';

/** Header and body fields that may carry secrets; pino blanks them wherever they appear in a log line. */
const REDACT = [
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  '*.headers["x-api-key"]',
  '*.apiKey',
  'apiKey',
  '*.webhook',
];

export type Logger = pino.Logger;

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: { service: 'tollgate' } });
}
