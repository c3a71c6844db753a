import type SQLite from 'better-sqlite3';
import type { HeartbeatsTable } from '../schema.js';
import { PING_COLUMNS, PING_ROW_COLUMNS, type PingStore } from './ping-store.js';
import { insertNamed, type Statement } from './sqlite-prepared.js';

const SAME_STATUS_COLUMNS = PING_COLUMNS.filter((c) => c !== 'status');

/**
 * The ping statements on SQLite: prepared once per database and kept across batches (Kysely's SQLite
 * driver prepares every statement again, which was a third of the hub's time under ping load), run
 * one row at a time, which on an embedded database costs microseconds and no round trip.
 *
 * They run on the connection Kysely uses, so they must only be called inside a Kysely transaction on
 * it (`kysely.transaction().execute(...)`): that holds SQLite's one connection, so no other query of
 * the hub can interleave, and the statements commit or roll back with the transaction.
 */
export function sqlitePingStore(database: SQLite.Database): () => PingStore {
  let prepared: ReturnType<typeof prepare> | null = null;
  return () => {
    prepared ??= prepare(database);
    const s = prepared;
    // Each heartbeat's status as loaded: the status index is only written when the status changed.
    const loadedStatus = new Map<string, string>();
    return {
      idsBySlug: (pairs) =>
        pairs.flatMap(({ key, slug }) => s.idBySlug.all(key, slug) as Array<{ id: string; key: string; slug: string }>),
      loadHeartbeats: (ids) =>
        ids.flatMap((id) => {
          const row = s.heartbeat.get(id) as HeartbeatsTable | undefined;
          if (row) loadedStatus.set(row.id, row.status);
          return row ?? [];
        }),
      deleteRun: (heartbeatId, rid) => s.deleteRun.run(heartbeatId, rid).changes > 0,
      insertRun: (heartbeatId, rid, startedAt) => void s.insertRun.run(heartbeatId, rid, startedAt),
      runStartedAt: (heartbeatId, rid) => (s.runStartedAt.get(heartbeatId, rid) as string | undefined) ?? null,
      oldestRun: (heartbeatId) => (s.oldestRun.get(heartbeatId) as string | null | undefined) ?? null,
      deleteRuns: (heartbeatId, before) =>
        void (before === undefined ? s.deleteRuns.run(heartbeatId) : s.deleteRunsBefore.run(heartbeatId, before)),
      insertPings: (rows) => {
        for (const row of rows) s.insertPing.run(...PING_ROW_COLUMNS.map((c) => row[c]));
      },
      insertStateChanges: (rows) => {
        for (const row of rows) s.insertNamed('state_changes', row).run(row);
      },
      writeHeartbeats: (rows) => {
        for (const row of rows) {
          if (loadedStatus.get(row.id) === row.status)
            s.writeHeartbeatSameStatus.run(...SAME_STATUS_COLUMNS.map((c) => row[c]), row.id);
          else s.writeHeartbeat.run(...PING_COLUMNS.map((c) => row[c]), row.id);
        }
      },
    };
  };
}

function prepare(db: SQLite.Database) {
  const p = (text: string): Statement => db.prepare(text);
  return {
    idBySlug: p(
      'select h.id, h.slug, k.key from heartbeats h join ping_keys k on k.client_id = h.client_id where k.key = ? and h.slug = ?',
    ),
    heartbeat: p('select * from heartbeats where id = ?'),
    deleteRun: p('delete from heartbeat_runs where heartbeat_id = ? and rid = ?'),
    insertRun: p('insert into heartbeat_runs (heartbeat_id, rid, started_at) values (?, ?, ?)'),
    runStartedAt: p('select started_at from heartbeat_runs where heartbeat_id = ? and rid = ?').pluck(),
    oldestRun: p('select min(started_at) from heartbeat_runs where heartbeat_id = ?').pluck(),
    deleteRuns: p('delete from heartbeat_runs where heartbeat_id = ?'),
    deleteRunsBefore: p('delete from heartbeat_runs where heartbeat_id = ? and started_at < ?'),
    insertPing: p(
      `insert into heartbeat_pings (${PING_ROW_COLUMNS.join(', ')}) values (${PING_ROW_COLUMNS.map(() => '?').join(', ')})`,
    ),
    writeHeartbeat: p(`update heartbeats set ${PING_COLUMNS.map((c) => `${c} = ?`).join(', ')} where id = ?`),
    // SQLite leaves an index alone when its columns are not assigned: without `status`, the
    // (status, client_id) index is not rewritten (one page less in the WAL per ping).
    writeHeartbeatSameStatus: p(
      `update heartbeats set ${SAME_STATUS_COLUMNS.map((c) => `${c} = ?`).join(', ')} where id = ?`,
    ),
    insertNamed: insertNamed(db),
  };
}
