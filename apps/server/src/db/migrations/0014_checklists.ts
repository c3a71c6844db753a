import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Checklists: templates (global or of one site) with every version kept, per-site bindings of global
 * templates, runs with their steps, the ticks already applied (so a tick resent from a phone is applied
 * once), and schedules whose due time (`next_run_at`, indexed) is claimed by a conditional update.
 */
export function checklists(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('checklist_templates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** Null for a global template (the firm's own). */
        .addColumn('client_id', 'text')
        .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('body_json', 'text', (c) => c.notNull())
        .addColumn('archived_at', ts)
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('checklist_templates_site').on('checklist_templates').column('site_id').execute();

      await db.schema
        .createTable('checklist_template_versions')
        .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id').onDelete('cascade'))
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('body_json', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('checklist_template_versions_pk', ['template_id', 'version'])
        .execute();

      await db.schema
        .createTable('checklist_bindings')
        .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        /** { stepKey: { systemId?, checkId?, heartbeatId? } } */
        .addColumn('bindings_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('checklist_bindings_pk', ['template_id', 'site_id'])
        .execute();

      await db.schema
        .createTable('checklist_schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('notify_user_ids_json', 'text', (c) => c.notNull())
        .addColumn('oncall_schedule_id', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        /** The next run's time (null when disabled); claimed by moving it on with a conditional update. */
        .addColumn('next_run_at', ts)
        .addColumn('last_run_id', 'text')
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('checklist_schedules_due').on('checklist_schedules').column('next_run_at').execute();

      await db.schema
        .createTable('checklist_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('template_id', 'text', (c) => c.notNull().references('checklist_templates.id').onDelete('cascade'))
        .addColumn('template_version', 'integer', (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('incident_id', 'text')
        .addColumn('schedule_id', 'text')
        /** running, passed, passed_with_notes, failed */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', ts, (c) => c.notNull())
        .addColumn('started_by', 'text')
        .addColumn('finished_at', ts)
        .addColumn('finished_by', 'text')
        /** When the result of the automatic part was sent (scheduled runs). */
        .addColumn('reported_at', ts)
        .execute();
      await db.schema
        .createIndex('checklist_runs_site')
        .on('checklist_runs')
        .columns(['site_id', 'started_at'])
        .execute();
      await db.schema.createIndex('checklist_runs_status').on('checklist_runs').column('status').execute();

      await db.schema
        .createTable('checklist_run_steps')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('run_id', 'text', (c) => c.notNull().references('checklist_runs.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('section', 'text', (c) => c.notNull())
        .addColumn('step_key', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('instructions', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        /** The resolved target at this site: { systemId?, checkIds?, heartbeatId?, withinHours? } */
        .addColumn('target_json', 'text', (c) => c.notNull())
        .addColumn('target_label', 'text', (c) => c.notNull())
        /** pending, running, passed, failed, not_done */
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('done_by', 'text')
        .addColumn('done_at', ts)
        .addColumn('started_at', ts)
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('checklist_run_steps_run')
        .on('checklist_run_steps')
        .columns(['run_id', 'position'])
        .execute();

      await db.schema
        .createTable('checklist_ticks')
        .addColumn('run_id', 'text', (c) => c.notNull().references('checklist_runs.id').onDelete('cascade'))
        .addColumn('tick_key', 'text', (c) => c.notNull())
        .addColumn('step_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('checklist_ticks_pk', ['run_id', 'tick_key'])
        .execute();
    },
  };
}
