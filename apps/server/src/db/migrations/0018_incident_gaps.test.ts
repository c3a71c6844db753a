import { afterEach, describe, expect, it } from 'vitest';
import { insertClient } from '../../test/factories.js';
import { createTestDatabase } from '../../test/harness.js';
import type { Kdb } from '../database.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (up to 0017), where two writers could give two timeline lines of an
// incident the same seq: 0018 renumbers them in writing order, sets the incident's counter to the last seq,
// keeps every existing line client-visible (as it was when written) and refuses a repeated seq from then on.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const at = (minute: number) => new Date(Date.UTC(2026, 11, 5, 18, minute)).toISOString();

async function incidentWithLines(db: Kdb, number: number, seqs: number[]) {
  const client = await insertClient(db);
  const id = crypto.randomUUID();
  await db
    .insertInto('incidents' as never)
    .values({
      id,
      number,
      client_id: client.id,
      title: `Incident ${number}`,
      summary: 'Power keeps going off',
      status: 'investigating',
      severity: 'major',
      source: 'call',
      terms_json: '{}',
      opened_at: at(0),
      status_at: at(0),
      updated_at: at(0),
    } as never)
    .execute();
  for (const [i, seq] of seqs.entries())
    await db
      .insertInto('incident_timeline' as never)
      .values({ id: `${id}-${i}`, incident_id: id, at: at(i), seq, kind: 'note', text: `line ${i}` } as never)
      .execute();
  return id;
}

const lines = (db: Kdb, incidentId: string) =>
  db
    .selectFrom('incident_timeline')
    .select(['id', 'seq', 'internal'])
    .where('incident_id', '=', incidentId)
    .orderBy('seq')
    .execute();

describe.each(['sqlite', 'postgres'] as const)('migration 0018 on %s', (dialect) => {
  it('renumbers repeated timeline seqs in writing order and counts on from the last', async () => {
    const database = await createTestDatabase(dialect, { until: '0017_history_tiers' });
    cleanups.push(database.drop);
    const db = database.db.kysely;
    const clashing = await incidentWithLines(db, 1, [1, 2, 2, 3, 3, 3]);
    const clean = await incidentWithLines(db, 2, [1, 2, 3]);

    await migrateToLatest(database.db);

    expect((await lines(db, clashing)).map((l) => [l.id, l.seq])).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) => [`${clashing}-${i}`, i + 1]),
    );
    expect((await lines(db, clean)).map((l) => l.seq)).toEqual([1, 2, 3]);
    expect((await lines(db, clashing)).every((l) => Number(l.internal) === 0)).toBe(true);
    const counters = await db.selectFrom('incidents').select(['id', 'timeline_seq']).orderBy('number').execute();
    expect(counters.map((c) => Number(c.timeline_seq))).toEqual([6, 3]);

    await expect(
      db
        .insertInto('incident_timeline' as never)
        .values({ id: 'again', incident_id: clean, at: at(9), seq: 3, kind: 'note', text: 'again' } as never)
        .execute(),
    ).rejects.toThrow();
  });
});
