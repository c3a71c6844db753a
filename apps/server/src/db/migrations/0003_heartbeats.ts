import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/** Heartbeats (passive checks a job pings), their pings and open runs, clients' ping keys. */
export function heartbeats(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('heartbeats')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slug', 'text')
        .addColumn('schedule_kind', 'text', (c) => c.notNull())
        .addColumn('period_s', 'integer')
        .addColumn('cron', 'text')
        .addColumn('time_zone', 'text')
        .addColumn('grace_s', 'integer', (c) => c.notNull())
        .addColumn('keywords_json', 'text', (c) => c.notNull().defaultTo('{"success":[],"failure":[],"start":[]}'))
        .addColumn('body_limit', 'integer', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('email_local', 'text', (c) => c.unique())
        .addColumn('email_json', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_since', ts, (c) => c.notNull())
        .addColumn('status_reason', 'text', (c) => c.notNull())
        .addColumn('state_change_id', 'text')
        .addColumn('last_ping_at', ts)
        .addColumn('last_success_at', ts)
        .addColumn('last_result', 'text')
        .addColumn('last_result_at', ts)
        .addColumn('last_duration_ms', 'real')
        .addColumn('running_since', ts)
        .addColumn('expected_at', ts)
        .addColumn('down_at', ts)
        .addColumn('next_due_at', ts)
        .addColumn('n_pings', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      // "What is due?" is one indexed range read, whatever the number of heartbeats.
      await db.schema.createIndex('heartbeats_due').on('heartbeats').column('next_due_at').execute();
      await db.schema
        .createIndex('heartbeats_client_slug')
        .on('heartbeats')
        .columns(['client_id', 'slug'])
        .unique()
        .execute();
      await db.schema.createIndex('heartbeats_system').on('heartbeats').column('system_id').execute();
      await db.schema.createIndex('heartbeats_site').on('heartbeats').column('site_id').execute();
      await db.schema.createIndex('heartbeats_status').on('heartbeats').columns(['status', 'client_id']).execute();

      await db.schema
        .createTable('heartbeat_pings')
        .addColumn('heartbeat_id', 'text', (c) => c.notNull().references('heartbeats.id').onDelete('cascade'))
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('remote_addr', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('body_size', 'integer', (c) => c.notNull())
        .addColumn('rid', 'text')
        .addColumn('exit_status', 'integer')
        .addColumn('duration_ms', 'real')
        .addColumn('email_from', 'text')
        .addColumn('email_subject', 'text')
        .addPrimaryKeyConstraint('heartbeat_pings_pk', ['heartbeat_id', 'n'])
        .execute();
      await db.schema.createIndex('heartbeat_pings_at').on('heartbeat_pings').columns(['heartbeat_id', 'at']).execute();
      await db.schema.createIndex('heartbeat_pings_retention').on('heartbeat_pings').column('at').execute();

      // Runs started and not finished yet, one per rid ('' for a start without one).
      await db.schema
        .createTable('heartbeat_runs')
        .addColumn('heartbeat_id', 'text', (c) => c.notNull().references('heartbeats.id').onDelete('cascade'))
        .addColumn('rid', 'text', (c) => c.notNull())
        .addColumn('started_at', ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('heartbeat_runs_pk', ['heartbeat_id', 'rid'])
        .execute();

      await db.schema
        .createTable('ping_keys')
        .addColumn('client_id', 'text', (c) => c.primaryKey().references('clients.id').onDelete('cascade'))
        .addColumn('key', 'text', (c) => c.notNull().unique())
        .addColumn('auto_create_system_id', 'text', (c) => c.references('systems.id').onDelete('set null'))
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema.alterTable('state_changes').addColumn('heartbeat_id', 'text').execute();
      await db.schema
        .createIndex('state_changes_heartbeat')
        .on('state_changes')
        .columns(['heartbeat_id', 'at'])
        .execute();
    },
  };
}
