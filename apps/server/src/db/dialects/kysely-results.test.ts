import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertClientWithSystem } from '../../test/factories.js';
import { insertCheck } from '../../test/checks.js';
import { createTestHub, type TestHub } from '../../test/harness.js';
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
      second = db.transaction().execute((trx) => dialect.resultStore(trx).insertResults([result(b.id, 2)]));
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
});
