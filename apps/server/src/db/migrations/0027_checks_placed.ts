import type { Kysely } from 'kysely';
import { placeAllCheckRows } from '../dialects/sqlite-check-placement.js';
import type { DialectSupport } from '../dialects/types.js';

/**
 * SQLite: each check's row moved among the rows of checks that run at the same time of the minute
 * (sqlite-check-placement.ts), so that a second's runs rewrite a handful of pages instead of one page per check.
 * Checks added or rescheduled since are placed as they are. PostgreSQL chooses no place for a row: nothing.
 */
export function checksPlaced(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      if (d.name === 'sqlite') await placeAllCheckRows(db);
    },
  };
}
