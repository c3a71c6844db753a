import type { Kysely } from 'kysely';
import type { DialectSupport } from '../dialects/types.js';

/**
 * One alert per server: the server's own failing checks, listed under its alert (`failing_json`). And the
 * hub's own heartbeats (`hub_heartbeats`): one row per engine that must keep running (the escalation
 * engine…), beaten by whichever hub process ran it last — see docs/adr/0010-hub-heartbeats.md.
 */
export function alertsMore(d: DialectSupport) {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('alerts')
        .addColumn('failing_json', 'text', (c) => c.notNull().defaultTo('[]'))
        .execute();
      await db.schema
        .createTable('hub_heartbeats')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('beat_at', d.timestampType, (c) => c.notNull())
        .addColumn('process', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
