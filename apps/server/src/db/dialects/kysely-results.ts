import { sql, type RawBuilder } from 'kysely';
import { chunks } from '../../lib/chunks.js';
import type { Kdb } from '../database.js';
import type { StateChangesTable } from '../schema.js';
import {
  CHECK_LAST_COLUMNS,
  CHECK_STATE_COLUMNS,
  CHECK_STATE_WRITE_COLUMNS,
  type CheckStateRow,
  type ResultRow,
  type ResultStore,
} from './result-store.js';

/** State-change rows, 200 to a statement (shared with the ping store). */
export async function insertStateChangeRows(db: Kdb, rows: StateChangesTable[]): Promise<void> {
  for (const part of chunks(rows, 200)) await db.insertInto('state_changes').values(part).execute();
}

const old = (c: string) => sql.ref(`check_rollups.${c}`);
const add = (c: string) => sql.ref(`excluded.${c}`);

type ColumnType = 'text' | 'integer' | 'real' | 'timestamp';
const WRITE_TYPES: Record<string, ColumnType> = {
  state: 'text',
  computed_state: 'text',
  state_since: 'timestamp',
  state_reason: 'text',
  state_change_id: 'text',
  cause_type: 'text',
  cause_id: 'text',
  consecutive_failures: 'integer',
  consecutive_successes: 'integer',
  updated_at: 'timestamp',
  last_run_at: 'timestamp',
  last_status: 'text',
  last_latency_ms: 'real',
  last_message: 'text',
  recent_latencies: 'text',
};

/**
 * The check-result statements as multi-row Kysely statements (PostgreSQL: one round trip per few hundred
 * rows), rows loaded FOR UPDATE when `forUpdate` so that concurrent writers of one check queue up.
 */
export function kyselyResultStore(
  db: Kdb,
  options: { forUpdate: boolean; timestampType: 'text' | 'timestamptz' },
): ResultStore {
  const cast = (expr: RawBuilder<unknown>, type: ColumnType) =>
    sql`cast(${expr} as ${sql.raw(type === 'timestamp' ? options.timestampType : type)})`;
  return {
    async loadChecks(by, ids) {
      const rows: CheckStateRow[] = [];
      for (const part of chunks([...new Set(ids)].sort())) {
        let query = db.selectFrom('checks').select(CHECK_STATE_COLUMNS).where(by, 'in', part).orderBy('id');
        if (options.forUpdate) query = query.forUpdate();
        rows.push(...((await query.execute()) as CheckStateRow[]));
      }
      return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async insertResults(results) {
      const inserted = new Set<string>();
      for (const part of chunks(results)) {
        const rows = await db
          .insertInto('check_results')
          .values(part)
          .onConflict((oc) => oc.columns(['check_id', 'at']).doNothing())
          .returning(['check_id', 'at'])
          .execute();
        for (const row of rows) inserted.add(`${row.check_id}|${new Date(row.at).toISOString()}`);
      }
      return results.filter((r: ResultRow) => inserted.has(`${r.check_id}|${r.at}`));
    },

    async addToRollups(buckets) {
      // One row per check and hour in each statement: PostgreSQL refuses to upsert one row twice.
      for (const part of chunks(buckets, 300)) {
        await db
          .insertInto('check_rollups')
          .values(part)
          .onConflict((oc) =>
            oc.columns(['check_id', 'hour']).doUpdateSet({
              count: sql<number>`${old('count')} + ${add('count')}`,
              failures: sql<number>`${old('failures')} + ${add('failures')}`,
              latency_count: sql<number>`${old('latency_count')} + ${add('latency_count')}`,
              latency_sum: sql<number>`${old('latency_sum')} + ${add('latency_sum')}`,
              latency_min: sql<
                number | null
              >`case when ${old('latency_min')} is null or ${add('latency_min')} < ${old('latency_min')} then ${add('latency_min')} else ${old('latency_min')} end`,
              latency_max: sql<
                number | null
              >`case when ${old('latency_max')} is null or ${add('latency_max')} > ${old('latency_max')} then ${add('latency_max')} else ${old('latency_max')} end`,
            }),
          )
          .execute();
      }
    },

    insertStateChanges: (rows) => insertStateChangeRows(db, rows),

    // One UPDATE per 200 checks (a statement per check was most of the probe's database time).
    async saveChecks(writes) {
      const names = ['id', ...CHECK_STATE_WRITE_COLUMNS, 'has_last', ...CHECK_LAST_COLUMNS];
      const v = (name: string) => sql.ref(`v.${name}`);
      const sets = [
        ...CHECK_STATE_WRITE_COLUMNS.map((name) => sql`${sql.ref(name)} = ${cast(v(name), WRITE_TYPES[name]!)}`),
        ...CHECK_LAST_COLUMNS.map(
          (name) =>
            sql`${sql.ref(name)} = case when ${cast(v('has_last'), 'integer')} = 1 then ${cast(v(name), WRITE_TYPES[name]!)} else ${sql.ref(`checks.${name}`)} end`,
        ),
      ];
      for (const part of chunks(writes, 200)) {
        const rows = part.map(
          (w) =>
            sql`(${sql.join([
              w.id,
              ...CHECK_STATE_WRITE_COLUMNS.map((c) => w.state[c]),
              w.last ? 1 : 0,
              ...CHECK_LAST_COLUMNS.map((c) => w.last?.[c] ?? null),
            ])})`,
        );
        await sql`with v(${sql.join(names.map((n) => sql.ref(n)))}) as (values ${sql.join(rows)})
          update checks set ${sql.join(sets)} from v where checks.id = v.id`.execute(db);
      }
    },
  };
}
