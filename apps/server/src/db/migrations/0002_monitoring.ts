import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/** Checks, their results and roll-ups, state changes, and site agents. */
export function monitoring(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('agents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('enrol_code_hash', 'text', (c) => c.unique())
        .addColumn('enrol_expires_at', ts)
        .addColumn('token_hash', 'text', (c) => c.unique())
        .addColumn('enrolled_at', ts)
        .addColumn('revoked_at', ts)
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('status_since', ts, (c) => c.notNull())
        .addColumn('last_seen_at', ts)
        .addColumn('version', 'text')
        .addColumn('hostname', 'text')
        .addColumn('uptime_s', 'integer')
        .addColumn('backlog', 'integer')
        .addColumn('last_acked_seq', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('created_by', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agents_site').on('agents').column('site_id').execute();
      await db.schema.createIndex('agents_status_seen').on('agents').columns(['status', 'last_seen_at']).execute();

      await db.schema
        .createTable('checks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull().references('clients.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('system_id', 'text', (c) => c.notNull().references('systems.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params_json', 'text', (c) => c.notNull())
        .addColumn('secrets_enc', 'text')
        .addColumn('probe', 'text', (c) => c.notNull())
        .addColumn('agent_id', 'text', (c) => c.references('agents.id').onDelete('set null'))
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('failures_before_down', 'integer', (c) => c.notNull())
        .addColumn('successes_before_up', 'integer', (c) => c.notNull())
        .addColumn('paused', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull().defaultTo('unknown'))
        .addColumn('state_since', ts, (c) => c.notNull())
        .addColumn('state_reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('computed_state', 'text', (c) => c.notNull().defaultTo('unknown'))
        .addColumn('state_change_id', 'text')
        .addColumn('cause_type', 'text')
        .addColumn('cause_id', 'text')
        .addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('consecutive_successes', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_run_at', ts)
        .addColumn('last_status', 'text')
        .addColumn('last_latency_ms', 'real')
        .addColumn('last_message', 'text')
        .addColumn('recent_latencies', 'text', (c) => c.notNull().defaultTo('[]'))
        .addColumn('next_run_at', ts)
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('checks_due').on('checks').columns(['probe', 'next_run_at']).execute();
      await db.schema.createIndex('checks_system').on('checks').column('system_id').execute();
      await db.schema.createIndex('checks_site').on('checks').column('site_id').execute();
      await db.schema.createIndex('checks_agent').on('checks').column('agent_id').execute();
      await db.schema.createIndex('checks_client').on('checks').columns(['client_id', 'name']).execute();
      // Few checks are down at once: "which systems are down" (dependency suppression) reads this index.
      await db.schema.createIndex('checks_state').on('checks').columns(['state', 'client_id']).execute();

      await db.schema
        .createTable('check_results')
        .addColumn('check_id', 'text', (c) => c.notNull().references('checks.id').onDelete('cascade'))
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('latency_ms', 'real')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .execute();
      // Unique so that a batch an agent sends twice is stored once.
      await db.schema
        .createIndex('check_results_check_at')
        .on('check_results')
        .columns(['check_id', 'at'])
        .unique()
        .execute();
      await db.schema.createIndex('check_results_at').on('check_results').column('at').execute();

      await db.schema
        .createTable('check_rollups')
        .addColumn('check_id', 'text', (c) => c.notNull().references('checks.id').onDelete('cascade'))
        .addColumn('hour', ts, (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('latency_count', 'integer', (c) => c.notNull())
        .addColumn('latency_sum', 'real', (c) => c.notNull())
        .addColumn('latency_min', 'real')
        .addColumn('latency_max', 'real')
        .addPrimaryKeyConstraint('check_rollups_pk', ['check_id', 'hour'])
        .execute();
      await db.schema.createIndex('check_rollups_hour').on('check_rollups').column('hour').execute();

      await db.schema
        .createTable('state_changes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('recorded_at', ts, (c) => c.notNull())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text')
        .addColumn('check_id', 'text')
        .addColumn('agent_id', 'text')
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('from_state', 'text', (c) => c.notNull())
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('cause_type', 'text')
        .addColumn('cause_id', 'text')
        .addColumn('root_cause_id', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('processed_at', ts)
        .execute();
      await db.schema.createIndex('state_changes_check').on('state_changes').columns(['check_id', 'at']).execute();
      await db.schema.createIndex('state_changes_site').on('state_changes').columns(['site_id', 'at']).execute();
      await db.schema
        .createIndex('state_changes_unprocessed')
        .on('state_changes')
        .columns(['processed_at', 'recorded_at'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['state_changes', 'check_rollups', 'check_results', 'checks', 'agents']) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
