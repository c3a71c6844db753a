import { type Kysely, sql } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Gaps in incidents and share links:
 * - `incident_timeline.internal`: a line only the team sees (notes and photos marked so); never in the
 *   client's view, the report or a shared link.
 * - `share_links.expires_at`: a link stops working after it (null: never).
 * - `incidents.timeline_seq`: the last timeline seq given out, taken by an UPDATE (a row lock on PostgreSQL),
 *   so two writers never share a seq; duplicates written before are renumbered in writing order, and a
 *   unique index keeps it so.
 */
export function incidentGaps(d: DialectSupport) {
  return {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('incident_timeline')
        .addColumn('internal', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('share_links').addColumn('expires_at', d.timestampType).execute();
      await db.schema
        .alterTable('incidents')
        .addColumn('timeline_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();

      const clashing = await db
        .selectFrom('incident_timeline')
        .select('incident_id')
        .groupBy(['incident_id', 'seq'])
        .having(sql`count(*)`, '>', 1)
        .execute();
      for (const incidentId of new Set(clashing.map((r: { incident_id: string }) => r.incident_id))) {
        const rows = await db
          .selectFrom('incident_timeline')
          .select('id')
          .where('incident_id', '=', incidentId)
          .orderBy('seq')
          .orderBy('at')
          .orderBy('id')
          .execute();
        for (const [i, row] of rows.entries())
          await db
            .updateTable('incident_timeline')
            .set({ seq: i + 1 })
            .where('id', '=', (row as { id: string }).id)
            .execute();
      }
      await sql`UPDATE incidents SET timeline_seq = COALESCE((SELECT MAX(seq) FROM incident_timeline WHERE incident_timeline.incident_id = incidents.id), 0)`.execute(
        db,
      );
      await db.schema
        .createIndex('incident_timeline_seq_unique')
        .unique()
        .on('incident_timeline')
        .columns(['incident_id', 'seq'])
        .execute();
    },
  };
}
