import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { chunks } from '../../lib/chunks.js';
import { insertStateChangeRows } from './kysely-results.js';
import { PING_COLUMNS, type PingStore } from './ping-store.js';

/**
 * The ping statements through Kysely, for PostgreSQL: few round trips per batch (one select of every
 * heartbeat, locked FOR UPDATE in id order so that several hub processes apply pings to one heartbeat
 * one at a time; multi-row inserts; one upsert writing every touched heartbeat back).
 */
export function kyselyPingStore(db: Kysely<Database>, options: { forUpdate: boolean }): PingStore {
  return {
    async idsBySlug(pairs) {
      return db
        .selectFrom('heartbeats')
        .innerJoin('ping_keys', 'ping_keys.client_id', 'heartbeats.client_id')
        .select(['heartbeats.id', 'heartbeats.slug', 'ping_keys.key'])
        .where('ping_keys.key', 'in', [...new Set(pairs.map((s) => s.key))])
        .where('heartbeats.slug', 'in', [...new Set(pairs.map((s) => s.slug))])
        .execute();
    },
    async loadHeartbeats(ids) {
      let q = db.selectFrom('heartbeats').selectAll().where('id', 'in', ids).orderBy('id');
      if (options.forUpdate) q = q.forUpdate();
      return q.execute();
    },
    async deleteRun(heartbeatId, rid) {
      const r = await db
        .deleteFrom('heartbeat_runs')
        .where('heartbeat_id', '=', heartbeatId)
        .where('rid', '=', rid)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async insertRun(heartbeatId, rid, startedAt) {
      await db.insertInto('heartbeat_runs').values({ heartbeat_id: heartbeatId, rid, started_at: startedAt }).execute();
    },
    async runStartedAt(heartbeatId, rid) {
      const run = await db
        .selectFrom('heartbeat_runs')
        .select('started_at')
        .where('heartbeat_id', '=', heartbeatId)
        .where('rid', '=', rid)
        .executeTakeFirst();
      return run?.started_at ?? null;
    },
    async oldestRun(heartbeatId) {
      const row = await db
        .selectFrom('heartbeat_runs')
        .select((eb) => eb.fn.min('started_at').as('oldest'))
        .where('heartbeat_id', '=', heartbeatId)
        .executeTakeFirst();
      return (row?.oldest as string | null | undefined) ?? null;
    },
    async deleteRuns(heartbeatId, before) {
      let q = db.deleteFrom('heartbeat_runs').where('heartbeat_id', '=', heartbeatId);
      if (before !== undefined) q = q.where('started_at', '<', before);
      await q.execute();
    },
    async insertPings(rows) {
      for (const part of chunks(rows, 200)) await db.insertInto('heartbeat_pings').values(part).execute();
    },
    insertStateChanges: (rows) => insertStateChangeRows(db, rows),
    async writeHeartbeats(rows) {
      // Every heartbeat the batch touched, in one statement per 200 (an upsert of rows that exist).
      for (const part of chunks(rows, 200)) {
        await db
          .insertInto('heartbeats')
          .values(part)
          .onConflict((oc) =>
            oc
              .column('id')
              .doUpdateSet((eb) => Object.fromEntries(PING_COLUMNS.map((c) => [c, eb.ref(`excluded.${c}`)])) as never),
          )
          .execute();
      }
    },
  };
}
