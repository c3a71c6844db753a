import { userInfo } from 'node:os';
import pino from 'pino';
import type { ZodError } from 'zod';
import { DEFAULT_SETTINGS, type AppContext } from '../context.js';
import { systemActor, type Actor } from '../domain/auth/actor.js';
import { EventBus } from '../events/bus.js';
import { loadSecrets } from '../hub.js';
import { AppError } from '../http/errors.js';
import { systemClock } from '../lib/clock.js';
import type { SecretBox } from '../lib/secrets.js';
import { withDatabase } from './common.js';
import { CliError } from './cli-error.js';

export interface DatabaseOptions {
  dataDir?: string;
  databaseUrl?: string;
}

/**
 * Open the database and run `work` with a hub context and a system actor naming the operator, so
 * CLI changes go through the same commands, rules and audit log as the API.
 */
export async function withAccountsContext<T>(
  options: DatabaseOptions,
  work: (ctx: AppContext, actor: Actor) => Promise<T>,
): Promise<T> {
  return withDatabase(options, async (db, config) => {
    let secrets: SecretBox | undefined;
    const ctx: AppContext = {
      db,
      clock: systemClock,
      bus: new EventBus(),
      log: pino({ level: 'silent' }),
      settings: DEFAULT_SETTINGS,
      // Only read (or created) when a command needs it, so listing users never writes a key file.
      get secrets() {
        return (secrets ??= loadSecrets(config));
      },
    };
    try {
      return await work(ctx, systemActor(`command line (${operatorName()})`));
    } catch (error) {
      throw error instanceof AppError ? cliErrorFrom(error) : error;
    }
  });
}

function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown user';
  }
}

const OPTION_OF: Record<string, string> = {
  clientId: '--client-id',
  email: '--email',
  name: '--name',
  role: '--role',
  password: 'the password',
};
const option = (field: string) => OPTION_OF[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** An API error, told in terms of the command's options. */
export function cliErrorFrom(error: AppError): CliError {
  if (error.statusCode === 400 && error.fields) {
    return new CliError(
      Object.entries(error.fields)
        .map(([field, problem]) => `${option(field)} ${problem}`)
        .join('\n'),
    );
  }
  return new CliError(error.message);
}

/** Parse options with an API schema, reporting problems by option name. */
export function parseOptions<T>(result: { success: true; data: T } | { success: false; error: ZodError }): T {
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `${option(String(issue.path[0] ?? 'password'))} ${humanise(issue.message)}`,
  );
  throw new CliError(lines.join('\n'));
}

function humanise(message: string): string {
  return message
    .replace(/^Too small: expected string to have >=1 characters?$/, 'is required')
    .replace(/^Too big: expected string to have <=(\d+) characters$/, 'must be at most $1 characters')
    .replace(/^Invalid option: expected one of /, 'must be one of ')
    .replace(/^Invalid input: /, '');
}

/** Columns padded to the widest cell, for terminal tables. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}
