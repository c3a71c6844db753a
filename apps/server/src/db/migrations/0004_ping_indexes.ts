import type { Kysely } from 'kysely';

/**
 * Pings: drop the (heartbeat_id, at) index. The primary key (heartbeat_id, n) serves every query of
 * one heartbeat's pings (n grows with time), and an index written at a random place costs a page in
 * the write-ahead log for every ping; the ping path writes thousands a second.
 */
export function pingIndexes() {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.dropIndex('heartbeat_pings_at').ifExists().execute();
    },
  };
}
