import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * How the web app shows dates and times: the firm's locale and clock (one row, set at first-run setup
 * from the owner's browser and changed in settings), and each user's own override (null: the firm's).
 */
export function display(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('firm_settings')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('locale', 'text')
        .addColumn('clock', 'text')
        .addColumn('updated_at', d.timestampType, (c) => c.notNull())
        .execute();
      await db.schema.alterTable('users').addColumn('locale', 'text').execute();
      await db.schema.alterTable('users').addColumn('clock', 'text').execute();
    },
  };
}
