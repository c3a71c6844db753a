import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Two-factor recovery codes: only the SHA-256 of each one-time code, ten per user with two-factor
 * on. A code is used up by deleting its row (see domain/accounts/recovery-codes.ts).
 */
export function recoveryCodes(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('recovery_codes')
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', d.timestampType, (c) => c.notNull())
        .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'code_hash'])
        .execute();
    },
  };
}
