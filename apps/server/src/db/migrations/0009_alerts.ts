import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/** Alerts and their timelines, maintenance windows, escalation policies and durable escalations. */
export function alerts(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        /** check, site, heartbeat, system (raised by the hub itself) */
        .addColumn('kind', 'text', (c) => c.notNull())
        /** What the alert is about (check:<id>, site:<id>:<agent>, heartbeat:<id>, system:<dedupe key>). */
        .addColumn('key', 'text', (c) => c.notNull())
        /** The key while the alert is not resolved: at most one unresolved alert per key. */
        .addColumn('open_key', 'text', (c) => c.unique())
        .addColumn('client_id', 'text')
        .addColumn('site_id', 'text')
        .addColumn('system_id', 'text')
        .addColumn('check_id', 'text')
        .addColumn('heartbeat_id', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('criticality', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('subject_state', 'text', (c) => c.notNull())
        .addColumn('flapping', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('changes_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('maintenance_id', 'text')
        .addColumn('pages', 'integer', (c) => c.notNull())
        .addColumn('page_reason', 'text', (c) => c.notNull())
        .addColumn('root_change_id', 'text')
        /** The checks this alert's root cause made unknown: [{checkId, name, at}]. */
        .addColumn('affected_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('policy_id', 'text')
        /** The escalation policy as it was when the alert first paged. */
        .addColumn('policy_json', 'text')
        .addColumn('opened_at', ts, (c) => c.notNull())
        .addColumn('last_change_at', ts, (c) => c.notNull())
        .addColumn('acknowledged_at', ts)
        .addColumn('acknowledged_by', 'text')
        .addColumn('resolved_at', ts)
        .addColumn('resolved_by', 'text')
        .addColumn('resolution', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alerts_state').on('alerts').columns(['state', 'opened_at']).execute();
      await db.schema.createIndex('alerts_key').on('alerts').columns(['key', 'resolved_at']).execute();
      await db.schema.createIndex('alerts_root_change').on('alerts').column('root_change_id').execute();
      await db.schema.createIndex('alerts_client').on('alerts').columns(['client_id', 'opened_at']).execute();

      await db.schema
        .createTable('alert_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id').onDelete('cascade'))
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        /** opened, changed, affected, reopened, flapping, paged, acknowledged, resolved, recovered, held, maintenance */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('data_json', 'text')
        .execute();
      await db.schema.createIndex('alert_events_alert').on('alert_events').columns(['alert_id', 'at', 'seq']).execute();

      await db.schema
        .createTable('maintenance_windows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        /** [] for the whole site, else the systems it covers. */
        .addColumn('system_ids_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('starts_at', ts)
        .addColumn('ends_at', ts)
        .addColumn('days_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('start_time', 'text')
        .addColumn('end_time', 'text')
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        /** person or plan (the power work opens windows itself) */
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('ended_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('maintenance_site')
        .on('maintenance_windows')
        .columns(['site_id', 'ended_at'])
        .execute();

      await db.schema
        .createTable('escalation_policies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
        /** [{targets: [{type: schedule|user|team, id}], waitMinutes}] */
        .addColumn('steps_json', 'text', (c) => c.notNull())
        .addColumn('repeat', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('escalations')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('policy_id', 'text')
        .addColumn('policy_json', 'text', (c) => c.notNull())
        /** Bumped each time the subject starts paging again (a reopened alert): part of every page's round. */
        .addColumn('epoch', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('step', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('pass', 'integer', (c) => c.notNull().defaultTo(0))
        /** active, acknowledged, resolved, exhausted */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('due_at', ts)
        .addColumn('message_json', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addUniqueConstraint('escalations_subject', ['subject_type', 'subject_id'])
        .execute();
      // "What is due?" is one range read.
      await db.schema.createIndex('escalations_due').on('escalations').column('due_at').execute();

      await db.schema
        .createTable('subject_pages')
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('first_at', ts, (c) => c.notNull())
        .addColumn('last_round', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('subject_pages_pk', ['subject_type', 'subject_id', 'user_id'])
        .execute();

      await db.schema
        .createTable('acknowledgements')
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('acknowledgements_pk', ['subject_type', 'subject_id', 'user_id'])
        .execute();
    },
  };
}
