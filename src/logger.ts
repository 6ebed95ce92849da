import pino, { type Logger } from 'pino';

import type { Config } from './config';

export type { Logger };

/**
 * One levelled logger for the whole process: JSON lines by default, or
 * coloured lines for a terminal with LOG_FORMAT=pretty. Tokens and
 * authorization headers are redacted wherever they appear.
 */
export function createLogger(config: Pick<Config, 'logFormat' | 'logLevel'>): Logger {
  return pino({
    level: config.logLevel,
    base: { service: 'self-service' },
    redact: {
      paths: ['authorization', '*.authorization', 'token', '*.token', 'headers.authorization'],
      censor: '[redacted]',
    },
    transport:
      config.logFormat === 'pretty'
        ? { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'service' } }
        : undefined,
  });
}
