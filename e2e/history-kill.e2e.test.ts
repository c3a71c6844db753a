import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../apps/server/src/db/database.js';
import { packMinutes } from '../apps/server/src/db/dialects/minute-packing.js';
import { migrateToLatest } from '../apps/server/src/db/migrate.js';
import { insertCheck } from '../apps/server/src/test/checks.js';
import { insertClientWithSystem } from '../apps/server/src/test/factories.js';
import { minutesMark, rawMinutes, rollUpMinutes } from '../apps/server/src/worker/minute-rollups.js';
import { createStorage, type HubStorage } from './hub-process.js';

const HOUR = 3600_000;
const CHECKS = 200;
const HOURS = 24;
const BASE_HOUR = Math.floor(Date.parse('2026-11-20T00:00:00.000Z') / HOUR);
const NOW = (BASE_HOUR + HOURS) * HOUR + 10 * 60_000;
const DIST = new URL('../apps/server/dist/', import.meta.url).href;

/**
 * The per-minute roll-up job killed with SIGKILL half-way through an hour (the built hub's code, in a process
 * of its own), then run again: every hour is rolled up, each exactly as its raw results say — nothing lost,
 * no minute counted twice. On both databases.
 */
describe.each(['sqlite', 'postgres'] as const)('per-minute roll-ups after kill -9 [%s]', (dialect) => {
  let storage: HubStorage;
  let db: Db;
  afterEach(async () => {
    await db?.close();
    await storage?.destroy();
  });

  it('finishes the job after a kill without losing or double-counting a minute', async () => {
    storage = await createStorage(dialect);
    const where =
      dialect === 'sqlite' ? { sqliteFile: join(storage.dataDir, 'hub.db') } : { url: storage.databaseUrl! };
    db = openDatabase(where);
    await migrateToLatest(db);
    const k = db.kysely;
    const { system } = await insertClientWithSystem(k);
    for (let i = 0; i < CHECKS; i++)
      await k
        .insertInto('check_series')
        .values({ check_id: (await insertCheck(k, system)).id })
        .execute();
    const [text] = await k
      .insertInto('check_texts')
      .values({ source: 'hub', message: '200 OK', last_hour: BASE_HOUR + HOURS })
      .returning('id')
      .execute();
    // A result a minute for a day, every 29th down, latencies that wander.
    const minutes =
      dialect === 'sqlite'
        ? sql`with recursive m(i) as (select 0 union all select i + 1 from m where i < ${HOURS * 60 - 1}) select i from m`
        : sql`select generate_series(0, ${HOURS * 60 - 1}) as i`;
    await sql`insert into check_samples (series, at, status, latency, text)
      select s.no, cast(${BASE_HOUR * HOUR} as bigint) + m.i * 60000 + s.no * 7,
        case when (m.i + s.no) % 29 = 0 then 2 else 0 end, 1000 + ((m.i * 37 + s.no * 11) % 5000) * 100, ${text!.id}
      from check_series s, (${minutes}) m`.execute(k);
    await k
      .updateTable('history_marks')
      .set({ hour: BASE_HOUR - 1 })
      .where('name', '=', 'minutes')
      .execute();

    const script = `
      const { openDatabase } = await import(${JSON.stringify(`${DIST}db/database.js`)});
      const { rollUpMinutes } = await import(${JSON.stringify(`${DIST}worker/minute-rollups.js`)});
      const db = openDatabase(${JSON.stringify(where)});
      await rollUpMinutes(db.kysely, { now: ${NOW}, resultRetentionDays: 7, seriesPerStatement: 20 });
      process.stdout.write('finished\\n');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Kill it in the middle of an hour: some of that hour's rows written, its mark not yet moved.
    const count = async () =>
      Number((await k.selectFrom('check_minutes').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    for (;;) {
      const n = await count();
      if (n > CHECKS * 3 && n % CHECKS !== 0) break;
      if (out.includes('finished')) throw new Error(`the job finished before it could be killed: ${out}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(out).not.toContain('finished');
    const leftBy = await count();
    const markAtKill = await minutesMark(k);
    expect(markAtKill).toBeLessThan(BASE_HOUR + HOURS - 1);
    expect(leftBy).toBeLessThan(CHECKS * HOURS);

    // The next pass (as the hub's retention job would run it) carries on.
    await rollUpMinutes(k, { now: NOW, resultRetentionDays: 7 });
    expect(await minutesMark(k)).toBe(BASE_HOUR + HOURS - 1);
    expect(await count()).toBe(CHECKS * HOURS);
    const series = (await k.selectFrom('check_series').select('no').execute()).map((r) => r.no);
    for (let hour = BASE_HOUR; hour < BASE_HOUR + HOURS; hour++) {
      const expected = await rawMinutes(k, series, hour * HOUR, (hour + 1) * HOUR);
      const rows = await k.selectFrom('check_minutes').select(['series', 'minutes']).where('hour', '=', hour).execute();
      expect(rows).toHaveLength(CHECKS);
      for (const row of rows) {
        const want = packMinutes(expected.get(row.series)!.map((m) => ({ ...m, minute: m.minute - hour * 60 })));
        expect(Buffer.from(row.minutes).equals(Buffer.from(want))).toBe(true);
      }
    }
  });
});
