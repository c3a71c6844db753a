import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * PostgreSQL: `checks` pages filled to 70 %, leaving room for the next version of their rows. A result's
 * write-back changes no indexed column (the state only on a change), so with room on the page it is a heap-only
 * update, pruned in the page without vacuum and without a new entry in each of the table's seven indexes; on
 * full pages every write-back moved its row and indexed it again (BENCHMARKS.md, "10,000 HTTP checks a
 * minute"). Existing rows move to such pages at their next update that is not heap-only (the probe's claim
 * moves `next_run_at`, which is indexed: at every run). SQLite has no such setting: nothing.
 */
export function checksFillfactor(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      if (d.name === 'postgres') await sql`alter table checks set (fillfactor = 70)`.execute(db);
    },
  };
}
