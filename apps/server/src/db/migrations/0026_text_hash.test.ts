import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { checkResults } from '../../domain/monitoring/history-queries.js';
import { createTestDatabase } from '../../test/harness.js';
import { fillResults, RESULTS_NOW as NOW } from '../../test/previous-results.js';
import { migrateToLatest } from '../migrate.js';

// A database made by the previous release (up to 0025, results written through the check_results view): 0026
// keeps every text under its number, and on PostgreSQL keeps them unique by a hash index instead of the B-tree;
// the view's insert trigger then still finds a text it has and adds one it has not. SQLite is left as it was.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.each(['sqlite', 'postgres'] as const)('0026_text_hash on a previous release’s database [%s]', (dialect) => {
  it('keeps the texts and their numbers, still unique, found through the new index', async () => {
    const database = await createTestDatabase(dialect, { until: '0025_hourly_mark' });
    cleanups.push(database.drop);
    const db = database.db.kysely;
    const checks = await fillResults(db);
    const texts = () => db.selectFrom('check_texts').selectAll().orderBy('id').execute();
    const before = await texts();
    expect(before.length).toBeGreaterThan(20);
    const results = async () => {
      const all = [];
      for (const check of checks) all.push(await checkResults(db, check.id, { limit: 500 }));
      return all;
    };
    const answers = await results();

    expect((await migrateToLatest(database.db)).applied).toEqual(['0026_text_hash', '0027_checks_placed']);
    expect(await texts()).toEqual(before);
    expect(await results()).toEqual(answers);

    // Through the view: one result with a text it has (found, its hour moved on), one with a new text (added).
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
    const known = before.find((t) => t.message === '200 OK' && Number(t.status) === 0)!;
    await db
      .insertInto('check_results')
      .values([
        { check_id: checks[0]!.id, at: at(70), status: 'up', latency_ms: 1.5, message: '200 OK', source: 'hub' },
        { check_id: checks[0]!.id, at: at(80), status: 'down', latency_ms: null, message: 'new text', source: 'hub' },
      ])
      .execute();
    const after = await texts();
    expect(after).toHaveLength(before.length + 1);
    expect(Number(after.find((t) => t.id === known.id)!.last_hour)).toBe(
      Math.floor((NOW.getTime() + 70 * 60_000) / 3600_000),
    );
    const latest = await checkResults(db, checks[0]!.id, { limit: 2 });
    expect(latest.map((r) => [r.status, r.message])).toEqual([
      ['down', 'new text'],
      ['up', '200 OK'],
    ]);

    // Still one row a text: a second one is refused.
    const again = { source: 'hub', status: 2, message: 'new text', last_hour: 1 };
    await expect(db.insertInto('check_texts').values(again).execute()).rejects.toThrow();
    if (dialect === 'sqlite') return;

    const { rows: constraints } = await sql<{ contype: string; def: string }>`
      select contype, pg_get_constraintdef(oid) as def from pg_constraint
      where conrelid = 'check_texts'::regclass order by contype`.execute(db);
    expect(constraints.map((c) => c.contype)).toEqual(['p', 'x']);
    expect(constraints[1]!.def).toContain('USING hash');
    const { rows: options } = await sql<{ name: string; options: string[] | null }>`
      select i.relname as name, i.reloptions as options from pg_index x join pg_class i on i.oid = x.indexrelid
      where x.indrelid = 'check_texts'::regclass order by 1`.execute(db);
    expect(options.map((o) => o.options)).toEqual([['fillfactor=100'], ['fillfactor=100']]);
    // A look-up by text can use the hash index (the table is too small here for the planner to prefer it).
    await db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const { rows: plan } = await sql<{ 'QUERY PLAN': string }>`explain select id from check_texts
        where row(source, status, message)::check_text_key = row('hub', 0::smallint, '200 OK')::check_text_key`.execute(
        trx,
      );
      expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toContain('check_texts_text');
    });
  });
});
