import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadSecrets } from '../hub.js';
import { openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';

const mode = (path: string) => statSync(path).mode & 0o777;
let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

async function openAndWrite(dataDir: string) {
  loadSecrets({ dataDir });
  const db = openDatabase({ dataDir });
  await migrateToLatest(db);
  return db;
}

it('creates the data directory 0700 and the database, its WAL and shared-memory files 0600', async () => {
  root = mkdtempSync(join(tmpdir(), 'ah-modes-'));
  const dataDir = join(root, 'data');
  const db = await openAndWrite(dataDir);
  try {
    expect(mode(dataDir).toString(8)).toBe('700');
    for (const file of ['afterhours.db', 'afterhours.db-wal', 'afterhours.db-shm', 'secret.key'])
      expect([file, mode(join(dataDir, file)).toString(8)]).toEqual([file, '600']);
  } finally {
    await db.close();
  }
});

it('tightens the modes of an existing data directory and database made world-readable', async () => {
  root = mkdtempSync(join(tmpdir(), 'ah-modes-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o755 });
  const first = await openAndWrite(dataDir);
  await first.close();
  const { chmodSync } = await import('node:fs');
  chmodSync(dataDir, 0o755);
  chmodSync(join(dataDir, 'afterhours.db'), 0o644);
  writeFileSync(join(dataDir, 'afterhours.db-wal'), '', { mode: 0o644 });
  chmodSync(join(dataDir, 'afterhours.db-wal'), 0o644);
  const db = await openAndWrite(dataDir);
  try {
    expect(mode(dataDir).toString(8)).toBe('700');
    for (const file of ['afterhours.db', 'afterhours.db-wal', 'afterhours.db-shm'])
      expect([file, mode(join(dataDir, file)).toString(8)]).toEqual([file, '600']);
  } finally {
    await db.close();
  }
});
