import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Power: each site's UPSes, its power state and events, its shutdown/startup plan, each system's power
 * actions (secrets encrypted), planned outage windows, orders for the agent, and the plans' execution log.
 */
export function power(d: DialectSupport) {
  const ts = d.timestampType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('power_ups')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        /** nut, snmp */
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('settings_json', 'text', (c) => c.notNull())
        .addColumn('secrets_enc', 'text')
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('power_ups_site').on('power_ups').column('site_id').execute();

      await db.schema
        .createTable('power_state')
        .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        /** online, on-battery, low-battery, unknown */
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('on_battery_since', ts)
        .addColumn('charge_percent', 'real')
        .addColumn('runtime_seconds', 'real')
        .addColumn('load_percent', 'real')
        .addColumn('readings_json', 'text', (c) => c.notNull())
        /** The state as alerted (state_changes): back to online only after power stayed back a while. */
        .addColumn('alert_state', 'text', (c) => c.notNull())
        .addColumn('online_since', ts)
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('power_events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('power_events_site').on('power_events').columns(['site_id', 'at']).execute();

      await db.schema
        .createTable('power_plans')
        .addColumn('site_id', 'text', (c) => c.primaryKey().references('sites.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('plan_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('power_actions')
        .addColumn('system_id', 'text', (c) => c.primaryKey().references('systems.id').onDelete('cascade'))
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull())
        /** { shutdown: {kind, settings} | null, startup: … } without secrets */
        .addColumn('actions_json', 'text', (c) => c.notNull())
        /** The secrets of both actions, encrypted: { "shutdown.password": "…" } */
        .addColumn('secrets_enc', 'text')
        .addColumn('host_key', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('power_outages')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('starts_at', ts, (c) => c.notNull())
        .addColumn('ends_at', ts, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('power_outages_site').on('power_outages').columns(['site_id', 'ends_at']).execute();

      await db.schema
        .createTable('power_orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        /** shutdown, startup, confirm */
        .addColumn('command', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text')
        .addColumn('by', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('sent_at', ts)
        .execute();
      await db.schema.createIndex('power_orders_site').on('power_orders').columns(['site_id', 'sent_at']).execute();

      await db.schema
        .createTable('power_run_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('client_id', 'text', (c) => c.notNull())
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('agent_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('system_id', 'text')
        .addColumn('trigger', 'text')
        .addColumn('phase', 'text')
        .execute();
      await db.schema
        .createIndex('power_run_log_seq')
        .unique()
        .on('power_run_log')
        .columns(['agent_id', 'seq', 'at', 'kind'])
        .execute();
      await db.schema.createIndex('power_run_log_site').on('power_run_log').columns(['site_id', 'at']).execute();

      /** Systems a plan shut down, until started again: "shut down by plan at 14:32". */
      await db.schema
        .createTable('power_shutdowns')
        .addColumn('system_id', 'text', (c) => c.primaryKey().references('systems.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('maintenance_id', 'text')
        .execute();
    },
  };
}
