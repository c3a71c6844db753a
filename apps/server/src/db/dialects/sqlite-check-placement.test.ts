import { sql } from 'kysely';
import type { ChecksTable } from '../schema.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../../test/agent.js';
import { insertCheck } from '../../test/checks.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, type TestHub } from '../../test/harness.js';
import { placeAllCheckRows, placeCheckRow, placeOf } from './sqlite-check-placement.js';

// On SQLite a check's row lies by the millisecond of the minute its runs fall on: checks added, rescheduled or
// placed all at once end up in rowid order of that time, so that the checks due in one second share pages.

describe('check rows placed by the time of the minute they run (SQLite)', () => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub('sqlite');
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());
  const db = () => hub.ctx.db.kysely;
  const rowids = async () => {
    const { rows } = await sql<{ id: string; rowid: number; next_run_at: string | null }>`
      select id, rowid, next_run_at from checks order by rowid`.execute(db());
    return rows;
  };
  const phase = (at: string) => Date.parse(at) % 60_000;
  /** The row's rowid is one of the 1,024 places of its next run's millisecond. */
  const expectInItsPlaces = (r: { rowid: number; next_run_at: string | null }) => {
    expect(r.rowid - placeOf(r.next_run_at!)).toBeGreaterThanOrEqual(0);
    expect(r.rowid - placeOf(r.next_run_at!)).toBeLessThan(1024);
  };

  it('places checks added through the API, and again when their schedule changes; not paused or agent ones', async () => {
    const { system } = await insertClientWithSystem(db(), 'Acme');
    const add = async (name: string, over: Record<string, unknown> = {}) => {
      const created = await owner.post('/api/checks', {
        systemId: system.id,
        name,
        kind: 'tcp',
        params: { host: '127.0.0.1', port: 3389 },
        intervalS: 60,
        ...over,
      });
      expect(created.status).toBe(201);
      return created.body as { id: string; nextRunAt: string | null };
    };
    const added: Array<{ id: string; nextRunAt: string | null }> = [];
    for (let i = 0; i < 12; i++) added.push(await add(`Check ${i}`));
    const paused = await add('Paused', { paused: true });

    const rows = await rowids();
    const scheduled = rows.filter((r) => r.next_run_at !== null);
    expect(scheduled.map((r) => r.id).sort()).toEqual(added.map((c) => c.id).sort());
    for (const r of scheduled) expectInItsPlaces(r);
    const phases = scheduled.map((r) => phase(r.next_run_at!));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(rows.find((r) => r.id === paused.id)?.next_run_at).toBeNull();

    // A new interval gives a new first run: the row moves to its new place. Resuming places the paused one.
    const moved = await owner.patch(`/api/checks/${added[0]!.id}`, { intervalS: 300 });
    expect(moved.status).toBe(200);
    const resumed = await owner.patch(`/api/checks/${paused.id}`, { paused: false });
    expect(resumed.status).toBe(200);
    for (const r of (await rowids()).filter((x) => x.next_run_at !== null)) expectInItsPlaces(r);
  });

  it('gives checks due on the same millisecond the next places, and leaves a row where it is when all are taken', async () => {
    const { system } = await insertClientWithSystem(db(), 'Acme');
    const at = '2026-12-07T06:00:12.345Z';
    const same: ChecksTable[] = [];
    for (let i = 0; i < 3; i++) same.push(await insertCheck(db(), system, { next_run_at: at }));
    for (const c of same) await placeCheckRow(db(), c.id, at);
    const from = placeOf(at);
    expect((await rowids()).filter((r) => r.next_run_at === at).map((r) => r.rowid)).toEqual([
      from,
      from + 1,
      from + 2,
    ]);
    await placeCheckRow(db(), same[1]!.id, at); // placed already: stays
    expect((await rowids()).find((r) => r.id === same[1]!.id)?.rowid).toBe(from + 1);

    await sql`update checks set rowid = ${from + 1023} where id = ${same[2]!.id}`.execute(db());
    const last = await insertCheck(db(), system, { next_run_at: at });
    const before = (await rowids()).find((r) => r.id === last.id)!.rowid;
    await placeCheckRow(db(), last.id, at);
    expect((await rowids()).find((r) => r.id === last.id)?.rowid).toBe(before);
  });

  it('places every row at once, unscheduled ones after the scheduled, and keeps every row and reference', async () => {
    const { system } = await insertClientWithSystem(db(), 'Acme');
    const times = ['2026-12-07T06:00:59.000Z', '2026-12-07T06:00:01.000Z', '2026-12-07T06:07:30.500Z'];
    const checks: ChecksTable[] = [];
    for (const t of times) checks.push(await insertCheck(db(), system, { next_run_at: t }));
    checks.push(await insertCheck(db(), system, { next_run_at: null, probe: 'agent' }));
    checks.push(await insertCheck(db(), system, { next_run_at: times[1] }));
    const before = await db().selectFrom('checks').selectAll().orderBy('id').execute();

    await placeAllCheckRows(db());
    const order = (await rowids()).map((r) => r.id);
    expect(order).toEqual([checks[1]!.id, checks[4]!.id, checks[2]!.id, checks[0]!.id, checks[3]!.id]);
    expect(await db().selectFrom('checks').selectAll().orderBy('id').execute()).toEqual(before);
    const { rows } = await sql`pragma foreign_key_check`.execute(db());
    expect(rows).toEqual([]);
  });
});
