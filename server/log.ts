import pino from 'pino';
import { createRedactor, redactValue } from './providers/redact-secrets.js';

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

/**
 * `secrets` (the configured provider keys) and secret shapes are also removed from every
 * message and field value, since upstream error text may quote them anywhere.
 */
export function createLogger(level: string, secrets: readonly (string | undefined)[] = [], destination?: pino.DestinationStream): Logger {
  const redact = createRedactor(secrets);
  const options: pino.LoggerOptions = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: 'tollgate' },
    formatters: { log: (object) => redactValue(object, redact) as Record<string, unknown> },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((arg: unknown) => (typeof arg === 'string' ? redact(arg) : arg));
        return method.apply(this, clean as Parameters<typeof method>);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
