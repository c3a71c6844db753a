import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../db/database.js';
import { PostgresFanout } from '../events/postgres-fanout.js';
import { SecretBox } from '../lib/secrets.js';
import type { HubSettings } from '../context.js';
import { createTestDatabase, createTestHub, TEST_DATABASE_URL, type TestHub } from './harness.js';

/**
 * `count` hubs on one PostgreSQL schema, as separate `afterhours serve` processes would be: each with
 * its own connection pool, event bus, agent connections and PostgresFanout (LISTEN/NOTIFY), sharing
 * only the database and the secret key. `close()` stops them all and drops the schema.
 */
export async function createPeerHubs(
  count: number,
  settings: Partial<HubSettings> = {},
): Promise<{ hubs: TestHub[]; close(): Promise<void> }> {
  const first = await createTestDatabase('postgres');
  const secrets = SecretBox.fromKey(randomBytes(32));
  const hubs: TestHub[] = [];
  const fanouts: PostgresFanout[] = [];
  for (let i = 0; i < count; i++) {
    const db = i === 0 ? first.db : openDatabase({ url: TEST_DATABASE_URL, pgSchema: first.pgSchema! });
    const database = i === 0 ? first : { db, drop: () => db.close() };
    const hub = await createTestHub('postgres', settings, { database, secrets });
    hubs.push(hub);
    const fanout = new PostgresFanout(
      TEST_DATABASE_URL,
      hub.ctx.bus,
      async (channel, payload) => {
        await sql`select pg_notify(${channel}, ${payload})`.execute(db.kysely);
      },
      hub.ctx.log,
    );
    await fanout.start();
    fanouts.push(fanout);
  }
  return {
    hubs,
    async close() {
      for (const fanout of fanouts) await fanout.stop();
      // The first hub's database drops the schema: close it last.
      for (const hub of hubs.slice().reverse()) await hub.close();
    },
  };
}
