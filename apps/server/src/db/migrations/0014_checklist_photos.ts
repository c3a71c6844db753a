import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/** A photo per checklist step (the server room's lights, the UPS panel), kept in the database like incident photos. */
export function checklistPhotos(d: DialectSupport) {
  const ts = d.timestampType;
  const bytes = d.name === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('checklist_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('checklist_runs.id').onDelete('cascade'))
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('bytes', bytes, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('checklist_photos_run').on('checklist_photos').column('run_id').execute();
      await db.schema.alterTable('checklist_run_steps').addColumn('photo_id', 'text').execute();
    },
  };
}
