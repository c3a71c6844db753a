import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Incidents: a client problem being handled, with its affected sites and systems, the alerts that joined it,
 * its timeline (the one record of everything that happened, in order), photos attached to notes, and the
 * weekend plan as tasks (with the firm's task templates). Task reminders are outbox rows due at the task's
 * due time (durable like escalation steps), so they need no table of their own.
 */
export function incidents(d: DialectSupport) {
  const ts = d.timestampType;
  const bytes = d.name === 'postgres' ? 'bytea' : 'blob';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** Per hub, from 1: what people say on the phone ("incident 42"). */
        .addColumn('number', 'integer', (c) => c.notNull().unique())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        /** What the caller said, or what the alert said. */
        .addColumn('summary', 'text', (c) => c.notNull())
        /** investigating, identified, monitoring, resolved */
        .addColumn('status', 'text', (c) => c.notNull())
        /** critical, major, minor */
        .addColumn('severity', 'text', (c) => c.notNull())
        /** call, alert, person */
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner_user_id', 'text')
        /** The contract's support hours and targets when it opened, so later contract edits do not move its clock. */
        .addColumn('terms_json', 'text', (c) => c.notNull())
        .addColumn('opened_at', ts, (c) => c.notNull())
        .addColumn('opened_by', 'text')
        .addColumn('acknowledged_at', ts)
        .addColumn('acknowledged_by', 'text')
        .addColumn('status_at', ts, (c) => c.notNull())
        .addColumn('status_by', 'text')
        .addColumn('resolved_at', ts)
        .addColumn('resolved_by', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'opened_at']).execute();
      await db.schema.createIndex('incidents_client').on('incidents').columns(['client_id', 'opened_at']).execute();

      await db.schema
        .createTable('incident_sites')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        /** 1 while the incident is not resolved: "the open incident of a site" is one indexed read. */
        .addColumn('open', 'integer', (c) => c.notNull())
        .addColumn('added_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_sites_pk', ['incident_id', 'site_id'])
        .execute();
      await db.schema.createIndex('incident_sites_site').on('incident_sites').columns(['site_id', 'open']).execute();

      await db.schema
        .createTable('incident_systems')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
        .addColumn('added_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_systems_pk', ['incident_id', 'system_id'])
        .execute();

      await db.schema
        .createTable('incident_alerts')
        .addColumn('alert_id', 'text', (c) => c.primaryKey().references('alerts.id').onDelete('cascade'))
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('joined_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_alerts_incident').on('incident_alerts').column('incident_id').execute();

      await db.schema
        .createTable('incident_timeline')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('at', ts, (c) => c.notNull())
        /** Order of writing within the incident (ties of `at`). */
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_user_id', 'text')
        .addColumn('text', 'text', (c) => c.notNull())
        /** What the entry is about (alert, task, photo, client_update, checklist_run, power_run…). */
        .addColumn('ref_type', 'text')
        .addColumn('ref_id', 'text')
        .addColumn('data_json', 'text')
        .execute();
      await db.schema
        .createIndex('incident_timeline_order')
        .on('incident_timeline')
        .columns(['incident_id', 'at', 'seq'])
        .execute();

      await db.schema
        .createTable('incident_photos')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('bytes', bytes, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_photos_incident').on('incident_photos').column('incident_id').execute();

      await db.schema
        .createTable('tasks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        /** Where the work happens (its time zone shows the due time), when one site is meant. */
        .addColumn('site_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('assignee_user_id', 'text')
        .addColumn('report_to_user_id', 'text')
        .addColumn('due_at', ts)
        /** todo, doing, done, blocked */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('template_id', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('status_at', ts, (c) => c.notNull())
        .addColumn('status_by', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tasks_incident').on('tasks').columns(['incident_id', 'due_at']).execute();
      await db.schema
        .createIndex('tasks_assignee')
        .on('tasks')
        .columns(['assignee_user_id', 'status', 'due_at'])
        .execute();
      await db.schema.createIndex('tasks_due').on('tasks').columns(['status', 'due_at']).execute();

      await db.schema
        .createTable('task_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        /** Shown with the title when choosing ("check every system answers; report to the owner"). */
        .addColumn('notes', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
    },
  };
}
