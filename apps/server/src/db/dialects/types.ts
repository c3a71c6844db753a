import type { Dialect } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Everything that differs between SQLite and PostgreSQL lives behind this interface. */
export interface DialectSupport {
  name: DialectName;
  kyselyDialect: Dialect;
  /** Column type for UTC timestamps; both read back as ISO 8601 strings. */
  timestampType: 'text' | 'timestamptz';
  /** Where the data lives, for logs (never includes a password). */
  describe: string;
  destroy(): Promise<void>;
}
