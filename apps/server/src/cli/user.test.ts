import { afterEach, beforeEach, expect, it } from 'vitest';
import { verifyPassword } from '../domain/auth/passwords.js';
import { createCliDatabase, runCli, type CliDatabase } from '../test/cli.js';
import { DIALECTS } from '../test/harness.js';
import { describe } from 'vitest';
import { newId } from '../lib/ids.js';

describe.each(DIALECTS)('afterhours user [%s]', (dialect) => {
  let db: CliDatabase;
  beforeEach(async () => {
    db = await createCliDatabase(dialect);
  });
  afterEach(() => db.drop());

  const user = (...args: string[]) => runCli(['user', ...args, ...db.args]);

  async function stored(email: string) {
    const open = db.open();
    try {
      const row = await open.kysely.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      const audit = await open.kysely.selectFrom('audit_events').selectAll().orderBy('at').execute();
      return { row, audit };
    } finally {
      await open.close();
    }
  }

  it('creates the owner with a generated password, printed once, and audits it as the command line', async () => {
    const run = await user('create', '--email', 'Boss@Example.com', '--role', 'owner');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Created owner boss@example\.com \(id [0-9a-f-]{36}\)\.\nPassword: (\S+)\n/);
    const password = /Password: (\S+)/.exec(run.stdout)![1]!;
    const { row, audit } = await stored('boss@example.com');
    expect(row).toMatchObject({ role: 'owner', name: 'Boss', client_id: null });
    expect(await verifyPassword(row!.password_hash, password)).toBe(true);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'user.create', actor_type: 'system' });
    expect(audit[0]!.actor_label).toMatch(/^command line/);
    expect(JSON.stringify(audit)).not.toContain(password);

    const list = await user('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^EMAIL\s+NAME\s+ROLE/);
    expect(list.stdout).toMatch(/boss@example\.com\s+Boss\s+owner\s+active\s+off\s+never/);
    const json = JSON.parse((await user('list', '--json')).stdout);
    expect(json).toEqual([expect.objectContaining({ email: 'boss@example.com', role: 'owner' })]);
  });

  it('takes the password from AFTERHOURS_PASSWORD or --password and never prints it', async () => {
    const fromEnv = await runCli(
      ['user', 'create', '--email', 'a@example.com', '--role', 'admin', '--name', 'Ada', ...db.args],
      { AFTERHOURS_PASSWORD: 'from the environment' },
    );
    expect(fromEnv.code).toBe(0);
    expect(fromEnv.stdout).not.toMatch(/Password/);
    expect(await verifyPassword((await stored('a@example.com')).row!.password_hash, 'from the environment')).toBe(true);

    const fromFlag = await user(
      'create',
      '--email',
      't@example.com',
      '--role',
      'technician',
      '--password',
      'given on the line',
    );
    expect(fromFlag.code).toBe(0);
    expect(await verifyPassword((await stored('t@example.com')).row!.password_hash, 'given on the line')).toBe(true);
  });

  it('resets a password', async () => {
    await user('create', '--email', 'tech@example.com', '--role', 'technician', '--password', 'the first password');
    const reset = await user('reset-password', '--email', 'TECH@example.com', '--password', 'the second password');
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Password of tech@example\.com reset/);
    const { row, audit } = await stored('tech@example.com');
    expect(await verifyPassword(row!.password_hash, 'the second password')).toBe(true);
    expect(audit.map((a) => a.action)).toEqual(['user.create', 'user.update']);

    const unknown = await user('reset-password', '--email', 'nobody@example.com', '--password', 'the second password');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no user has the e-mail nobody@example\.com/);
  });

  it('explains bad input by option and exits non-zero, changing nothing', async () => {
    const bad = await user('create', '--email', 'nope', '--role', 'king', '--client-id', 'x', '--password', 'short');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--email must be an e-mail address/);
    expect(bad.stderr).toMatch(/--role must be one of "owner"\|"admin"\|"technician"\|"client"/);
    expect(bad.stderr).toMatch(/--client-id must be an id/);
    expect(bad.stderr).toMatch(/the password must be at least 10 characters/);

    const client = await user(
      'create',
      '--email',
      'c@example.com',
      '--role',
      'client',
      '--client-id',
      newId(),
      '--password',
      'long enough password',
    );
    expect(client.code).toBe(1);
    expect(client.stderr).toMatch(/--client-id is not an existing client/);

    await user('create', '--email', 'dup@example.com', '--role', 'admin', '--password', 'long enough password');
    const dup = await user(
      'create',
      '--email',
      'dup@example.com',
      '--role',
      'admin',
      '--password',
      'long enough password',
    );
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);

    const missing = await user('create', '--email', 'x@example.com');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/required option '--role <role>' not specified/);
    expect((await stored('x@example.com')).row).toBeUndefined();
  });

  it('has help', async () => {
    const help = await runCli(['user', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/AFTERHOURS_PASSWORD/);
    expect(help.stdout).toMatch(/--client-id <id>/);
  });
});
