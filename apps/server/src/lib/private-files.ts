import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/**
 * The data directory holds the database and the secret key: only the hub's own user may list or
 * read it. Made 0700, and tightened to 0700 if an older hub left it world-readable.
 */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/**
 * A file only the hub's user may read: created 0600 if missing (SQLite then gives its -wal and
 * -shm files the database's mode), tightened to 0600 if it exists.
 */
export function privateFile(path: string, create = true): void {
  if (existsSync(path)) chmodSync(path, 0o600);
  else if (create) closeSync(openSync(path, 'a', 0o600));
}
