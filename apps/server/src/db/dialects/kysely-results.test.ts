import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertClientWithSystem } from '../../test/factories.js';
import { insertCheck } from '../../test/checks.js';
import { createTestHub, type TestHub } from '../../test/harness.js';
import { checkResults, rawMinutes } from '../../domain/monitoring/history-queries.js';
import { ingestResults } from '../../domain/monitoring/ingest.js';
import type { ResultRow } from './result-store.js';

describe('PostgreSQL result store with concurrent writers', () => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub('postgres');
  });
  afterEach(async () => {
    await hub.close();
  });

  const result = (checkId: string, second: number): ResultRow => ({
    check_id: checkId,
    at: new Date(Date.UTC(2026, 11, 6, 2, 0, second)).toISOString(),
    status: 'down',
    latency_ms: null,
    source: 'hub',
    message: 'a message nobody has stored before',
    late: false,
  });

  it('does not hand a text number another transaction has not committed yet to a second writer', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const [a, b] = [await insertCheck(db, system), await insertCheck(db, system)];
    const dialect = hub.ctx.db.dialect;

    let second: Promise<unknown> | undefined;
    await db.transaction().execute(async (first) => {
      await dialect.resultStore(first).insertResults([result(a.id, 1)]);
      // While the first writer has not committed, a second one stores the same new message for another check.
      second = db.transaction().execute(async (trx) => dialect.resultStore(trx).insertResults([result(b.id, 2)]));
      await new Promise((r) => setTimeout(r, 200));
    });
    await expect(second).resolves.toHaveLength(1);
    const texts = await db
      .selectFrom('check_texts')
      .select('id')
      .where('message', '=', result(a.id, 0).message)
      .execute();
    expect(texts).toHaveLength(1);
    const samples = await db.selectFrom('check_samples').select('text').execute();
    expect(samples.map((s) => s.text)).toEqual([texts[0]!.id, texts[0]!.id]);
  });

  it('adds a new text itself when the transaction that was adding it rolls back', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const [a, b] = [await insertCheck(db, system), await insertCheck(db, system)];
    const dialect = hub.ctx.db.dialect;

    let second: Promise<unknown> | undefined;
    await expect(
      db.transaction().execute(async (first) => {
        await dialect.resultStore(first).insertResults([result(a.id, 1)]);
        second = db.transaction().execute(async (trx) => dialect.resultStore(trx).insertResults([result(b.id, 2)]));
        await new Promise((r) => setTimeout(r, 200));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await expect(second).resolves.toHaveLength(1);
    const texts = await db
      .selectFrom('check_texts')
      .select('id')
      .where('message', '=', result(a.id, 0).message)
      .execute();
    expect(texts).toHaveLength(1);
    expect(await db.selectFrom('check_samples').select('text').execute()).toEqual([{ text: texts[0]!.id }]);
  });

  it('a remembered text deleted and added again by another writer: its new number, its hour moved on', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const check = await insertCheck(db, system);
    const store = (row: ResultRow) =>
      db.transaction().execute(async (trx) => hub.ctx.db.dialect.resultStore(trx).insertResults([row]));
    await store(result(check.id, 1));
    // The retention job deletes it (unused), another hub adds it again under a new number; this hub still
    // remembers the old one, and its next result is of a later hour.
    await db.deleteFrom('check_texts').execute();
    const { id } = await db
      .insertInto('check_texts')
      .values({ source: 'hub', status: 2, message: result(check.id, 0).message, last_hour: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const later = { ...result(check.id, 0), at: new Date(Date.UTC(2026, 11, 6, 5, 0, 0)).toISOString() };
    await store(later);
    expect(await db.selectFrom('check_texts').select(['id', 'last_hour']).execute()).toEqual([
      { id, last_hour: Math.floor(Date.parse(later.at) / 3600_000) },
    ]);
    const samples = await db.selectFrom('check_samples').select('text').execute();
    expect(samples.map((s) => s.text)).toEqual([expect.any(Number), id]);
  });

  it('two stores adding the same new texts at once, in different orders: every result stored, each text once', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const [a, b] = [await insertCheck(db, system), await insertCheck(db, system)];
    const messages = Array.from({ length: 40 }, (_, i) => `503 Service Unavailable (body: "upstream ${i} overloaded")`);
    const batch = (checkId: string, order: string[]) => order.map((message, i) => ({ ...result(checkId, i), message }));
    // Each writer in a store of its own (the hub's two ingest paths), both started before either commits.
    const stores = [
      [a.id, messages],
      [b.id, [...messages].reverse()],
    ] as const;
    const stored = await Promise.all(
      stores.map(([checkId, order]) =>
        db.transaction().execute(async (trx) => {
          const rows = await hub.ctx.db.dialect.resultStore(trx).insertResults(batch(checkId, order));
          await new Promise((r) => setTimeout(r, 100));
          return rows.length;
        }),
      ),
    );
    expect(stored).toEqual([40, 40]);
    const texts = await db.selectFrom('check_texts').select(['id', 'message']).execute();
    expect(texts.map((t) => t.message).sort()).toEqual([...messages].sort());
    const results = await db.selectFrom('check_results').select(['check_id', 'message']).execute();
    expect(results).toHaveLength(80);
    for (const check of [a, b])
      expect(
        results
          .filter((r) => r.check_id === check.id)
          .map((r) => r.message)
          .sort(),
      ).toEqual([...messages].sort());
  });
});

describe.each(['sqlite', 'postgres'] as const)('raw results keyed by series and time [%s]', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(async () => {
    await hub.close();
  });

  it('store and read back exactly past 2^53 (series 3,000,000), the status in the text, resent results refused', async () => {
    const db = hub.ctx.db.kysely;
    const { system } = await insertClientWithSystem(db);
    const [a, b] = [await insertCheck(db, system), await insertCheck(db, system)];
    await db.insertInto('check_series').values({ no: 3_000_000, check_id: a.id }).execute();
    await db.insertInto('check_series').values({ no: 2_999_999, check_id: b.id }).execute();
    const base = Date.UTC(2026, 11, 6, 2, 59, 0);
    hub.clock.set(new Date(base + 10 * 60_000).toISOString());
    const batch = (checkId: string) =>
      [0, 1, 2, 3].map((i) => ({
        checkId,
        at: new Date(base + i * 60_000 + 7).toISOString(),
        status: (['up', 'down', 'degraded', 'up'] as const)[i]!,
        latencyMs: i === 1 ? null : 12.345 + i,
        message: i === 1 ? 'refused' : 'same text',
      }));
    const first = await ingestResults(hub.ctx, { type: 'hub' }, [...batch(a.id), ...batch(b.id)]);
    expect(first).toMatchObject({ stored: 8, duplicates: 0 });
    const again = await ingestResults(hub.ctx, { type: 'hub' }, batch(a.id));
    expect(again).toMatchObject({ stored: 0, duplicates: 4 });
    for (const check of [a, b]) {
      const results = await checkResults(db, check.id, { limit: 10 });
      expect(results).toEqual(
        batch(check.id)
          .reverse()
          .map((r) => ({ at: r.at, status: r.status, latencyMs: r.latencyMs, message: r.message, source: 'hub' })),
      );
      expect(await checkResults(db, check.id, { limit: 2, since: batch(check.id)[2]!.at })).toHaveLength(2);
    }
    // 'same text' as up and as degraded: two texts.
    expect(
      await db.selectFrom('check_texts').select(['status']).where('message', '=', 'same text').execute(),
    ).toHaveLength(2);
    const minutes = await rawMinutes(db, [3_000_000, 2_999_999], base, base + 3 * 60_000);
    expect(minutes.get(3_000_000)!.map((m) => [m.count, m.failures, m.latencyCount])).toEqual([
      [1, 0, 1],
      [1, 1, 0],
      [1, 0, 1],
    ]);
    expect(minutes.get(2_999_999)).toHaveLength(3);
    // the old view still reads them
    const view = await db.selectFrom('check_results').selectAll().where('check_id', '=', a.id).orderBy('at').execute();
    expect(view.map((r) => [new Date(r.at).toISOString(), r.status])).toEqual(batch(a.id).map((r) => [r.at, r.status]));
  });
});
