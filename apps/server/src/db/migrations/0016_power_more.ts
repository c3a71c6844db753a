import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * Power, more: each UPS's own poll interval and "stable for" time (null = the hub's defaults), when a
 * system's SSH host key was pinned (the key itself is power_actions.host_key since 0011), and the last
 * different key the agent refused.
 */
export function powerMore(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('power_ups').addColumn('poll_ms', 'integer').execute();
      await db.schema.alterTable('power_ups').addColumn('stable_ms', 'integer').execute();
      await db.schema.alterTable('power_actions').addColumn('host_key_pinned_at', d.timestampType).execute();
      /** A different key the agent met and refused, for an owner or admin to compare and trust (re-pin). */
      await db.schema.alterTable('power_actions').addColumn('host_key_refused', 'text').execute();
      await db.schema.alterTable('power_actions').addColumn('host_key_refused_at', d.timestampType).execute();
    },
  };
}
