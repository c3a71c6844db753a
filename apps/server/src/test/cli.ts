import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { main } from '../cli/main.js';
import { openDatabase, type Db } from '../db/database.js';
import type { DialectName } from '../db/dialects/types.js';
import { adminQuery as admin, TEST_DATABASE_URL } from './harness.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `afterhours …` in-process, capturing what it writes. `env` is set for the run only. */
export async function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  for (const [key, value] of Object.entries({ DATABASE_URL: undefined, AFTERHOURS_PASSWORD: undefined, ...env }))
    vi.stubEnv(key, value);
  try {
    const code = await main(['node', 'afterhours', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    vi.unstubAllEnvs();
  }
}

export interface CliDatabase {
  /** The options that point a command at this database. */
  args: string[];
  /** Open it directly, to look at what a command did. */
  open(): Db;
  drop(): Promise<void>;
}

/** A throwaway database for CLI runs: a temp --data-dir (SQLite) or a PostgreSQL schema named in the URL. */
export async function createCliDatabase(dialect: DialectName): Promise<CliDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'afterhours-cli-'));
    return {
      args: ['--data-dir', dir],
      open: () => openDatabase({ dataDir: dir }),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const schema = `cli_${randomBytes(6).toString('hex')}`;
  await admin(`create schema "${schema}"`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    args: ['--database-url', url.toString()],
    open: () => openDatabase({ url: TEST_DATABASE_URL, pgSchema: schema }),
    drop: () => admin(`drop schema if exists "${schema}" cascade`),
  };
}
