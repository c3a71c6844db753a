import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { checkUptime, uptimeOf, windowStart } from '../../domain/monitoring/uptime.js';
import { insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { TEST_DATABASE_URL } from '../../test/harness.js';
import { openDatabase, type Db, type Kdb } from '../database.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (migrations 0001–0004, results and roll-ups in the old row shapes:
// text ids, ISO times, text statuses, real latencies, every message in full), migrated in place: every answer
// the API gives about results and uptime is the same before and after.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function admin(text: string) {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(text);
  await client.end();
}

async function previousRelease(dialect: 'sqlite' | 'postgres'): Promise<Db> {
  let db: Db;
  if (dialect === 'sqlite') db = openDatabase({ sqliteFile: ':memory:' });
  else {
    const schema = `m_${randomBytes(5).toString('hex')}`;
    await admin(`create schema ${schema}`);
    db = openDatabase({ url: TEST_DATABASE_URL, pgSchema: schema });
    cleanups.push(() => admin(`drop schema ${schema} cascade`));
  }
  cleanups.push(() => db.close());
  await migrateToLatest(db, { until: '0004_ping_indexes' });
  return db;
}

/** The previous release's queries, as they were (domain/monitoring/history-queries.ts and uptime.ts). */
const before = {
  async results(db: Kdb, checkId: string, options: { since?: string; limit: number }) {
    let query = db
      .selectFrom('check_results')
      .select(['at', 'status', 'latency_ms', 'message', 'source'])
      .where('check_id', '=', checkId);
    if (options.since) query = query.where('at', '>=', new Date(options.since).toISOString());
    const rows = await query.orderBy('at', 'desc').limit(options.limit).execute();
    return rows.map((r) => ({
      at: r.at,
      status: r.status,
      latencyMs: r.latency_ms,
      message: r.message,
      source: r.source,
    }));
  },
  async uptime(db: Kdb, checkId: string, now: Date) {
    const windows = Object.entries({ day: 24, week: 24 * 7, month: 24 * 30 }).map(([name, hours]) => ({
      name,
      from: windowStart(now, hours),
    }));
    const sums = (from: string) => sql`sum(case when hour >= ${from} then `;
    const selects = windows.flatMap(({ name, from }) => [
      sql<number>`${sums(from)}${sql.ref('count')} else 0 end)`.as(`${name}_count`),
      sql<number>`${sums(from)}failures else 0 end)`.as(`${name}_failures`),
      sql<number>`${sums(from)}latency_count else 0 end)`.as(`${name}_lcount`),
      sql<number>`${sums(from)}latency_sum else 0 end)`.as(`${name}_lsum`),
      sql<number | null>`min(case when hour >= ${from} then latency_min end)`.as(`${name}_lmin`),
      sql<number | null>`max(case when hour >= ${from} then latency_max end)`.as(`${name}_lmax`),
    ]);
    const [row] = await db
      .selectFrom('check_rollups')
      .select(selects)
      .where('check_id', '=', checkId)
      .where('hour', '>=', windows.at(-1)!.from)
      .execute();
    const r = (row ?? {}) as Record<string, unknown>;
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const windowOf = (name: string) =>
      uptimeOf({
        count: num(r[`${name}_count`]) ?? 0,
        failures: num(r[`${name}_failures`]) ?? 0,
        latencyCount: num(r[`${name}_lcount`]) ?? 0,
        latencySum: num(r[`${name}_lsum`]) ?? 0,
        latencyMin: num(r[`${name}_lmin`]),
        latencyMax: num(r[`${name}_lmax`]),
      });
    const hourly = await db
      .selectFrom('check_rollups')
      .select(['hour', 'count', 'failures', 'latency_count', 'latency_sum'])
      .where('check_id', '=', checkId)
      .where('hour', '>=', windowStart(now, 48))
      .orderBy('hour')
      .execute();
    return {
      checkId,
      day: windowOf('day'),
      week: windowOf('week'),
      month: windowOf('month'),
      hourly: hourly.map((h) => ({
        hour: h.hour,
        count: Number(h.count),
        failures: Number(h.failures),
        latencyMeanMs: h.latency_count ? Math.round((h.latency_sum / h.latency_count) * 100) / 100 : null,
      })),
    };
  },
};

const NOW = new Date('2026-11-20T18:30:00.000Z');
const HOUR = 3600_000;

/** Three checks' results over 50 hours, as the previous release's result store wrote them, and their roll-ups. */
async function fill(db: Kdb) {
  const { site, system } = await insertClientWithSystem(db);
  const checks = [
    await insertCheck(db, system),
    await insertCheck(db, system, { probe: 'agent' }),
    await insertCheck(db, system),
  ];
  const agentSource = `agent:${site.id}`;
  const rollups = new Map<string, Record<string, number | string | null>>();
  for (const [c, check] of checks.entries()) {
    const results = [];
    for (let i = 0; i < 50 * 6; i++) {
      const at = new Date(NOW.getTime() - 50 * HOUR + i * 600_000 + c * 1234 + (i % 7)).toISOString();
      const down = i % 13 === 5;
      const degraded = i % 17 === 3;
      const latency = down ? null : [12.3, 0.036, 150, 9.9, 1234.5][i % 5]!;
      results.push({
        check_id: check.id,
        at,
        status: down ? 'down' : degraded ? 'degraded' : 'up',
        latency_ms: latency,
        message: down ? `connect ECONNREFUSED 127.0.0.1:${8000 + (i % 11)}` : c === 1 ? 'port 22 open' : '200 OK',
        source: c === 1 ? agentSource : 'hub',
      });
      const hour = `${at.slice(0, 13)}:00:00.000Z`;
      const key = `${check.id}|${hour}`;
      const b = rollups.get(key) ?? {
        check_id: check.id,
        hour,
        count: 0,
        failures: 0,
        latency_count: 0,
        latency_sum: 0,
        latency_min: null,
        latency_max: null,
      };
      b.count = Number(b.count) + 1;
      if (down) b.failures = Number(b.failures) + 1;
      if (latency !== null) {
        b.latency_count = Number(b.latency_count) + 1;
        b.latency_sum = Number(b.latency_sum) + latency;
        b.latency_min = b.latency_min === null ? latency : Math.min(Number(b.latency_min), latency);
        b.latency_max = b.latency_max === null ? latency : Math.max(Number(b.latency_max), latency);
      }
      rollups.set(key, b);
    }
    await db.insertInto('check_results').values(results).execute();
  }
  await db
    .insertInto('check_rollups')
    .values([...rollups.values()] as never)
    .execute();
  return checks;
}

describe.each(['sqlite', 'postgres'] as const)(
  '0010_result_series on a previous release’s database [%s]',
  (dialect) => {
    it('keeps every result and roll-up: the answers about results and uptime are the same after it', async () => {
      const db = await previousRelease(dialect);
      const checks = await fill(db.kysely);
      const asks = (id: string) => [
        { limit: 500 },
        { limit: 20 },
        { limit: 1000, since: new Date(NOW.getTime() - 5 * HOUR).toISOString() },
      ];
      const answersBefore = [];
      for (const check of checks) {
        for (const ask of asks(check.id)) answersBefore.push(await before.results(db.kysely, check.id, ask));
        answersBefore.push(await before.uptime(db.kysely, check.id, NOW));
      }
      expect(answersBefore[0]).toHaveLength(300);

      await migrateToLatest(db);
      const answersAfter = [];
      for (const check of checks) {
        for (const ask of asks(check.id)) answersAfter.push(await checkResults(db.kysely, check.id, ask));
        answersAfter.push(await checkUptime(db.kysely, check.id, NOW));
      }
      expect(answersAfter).toEqual(answersBefore);

      // The old names still read (views), and a check's deletion still takes its history with it.
      const viaView = await before.results(db.kysely, checks[0]!.id, { limit: 500 });
      expect(viaView).toEqual(answersBefore[0]);
      await db.kysely.deleteFrom('checks').where('id', '=', checks[0]!.id).execute();
      expect(await checkResults(db.kysely, checks[0]!.id, { limit: 10 })).toEqual([]);
      const left = await db.kysely
        .selectFrom('check_samples')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(left.n)).toBe(600);
    });
  },
);
