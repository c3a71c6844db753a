import pino from 'pino';

export type Logger = pino.Logger;

/** JSON lines on stdout, one per event, for journald or any log shipper. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'afterhours-agent' }, redact: { paths: ['token', '*.token'], censor: '***' } });
}

/** A logger that writes nothing, for tests. */
export const silentLogger = (): Logger => pino({ level: 'silent' });
