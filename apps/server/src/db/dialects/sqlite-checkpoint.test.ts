import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Db } from '../database.js';

let db: Db | null = null;
let dir = '';
afterEach(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('checkpoints the WAL into the database file from its worker (the connection itself does not)', async () => {
  dir = mkdtempSync(join(tmpdir(), 'afterhours-checkpoint-'));
  const file = join(dir, 'hub.db');
  db = openDatabase({ sqliteFile: file });
  await sql`create table blobs (body text not null)`.execute(db.kysely);
  const before = statSync(file).size;
  for (let i = 0; i < 40; i++) await sql`insert into blobs (body) values (${'x'.repeat(50_000)})`.execute(db.kysely);
  // 2 MB committed to the WAL: only a checkpoint copies it into the database file.
  let size = statSync(file).size;
  for (let waited = 0; size < before + 1_900_000 && waited < 10_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100));
    size = statSync(file).size;
  }
  expect(size).toBeGreaterThan(before + 1_900_000);
  const { rows } = await sql<{ n: number }>`select count(*) as n from blobs`.execute(db.kysely);
  expect(rows[0]!.n).toBe(40);
});
