import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../lib/secrets.js';
import { newId } from '../lib/ids.js';
import { createCliDatabase, runCli, type CliDatabase } from '../test/cli.js';
import { DIALECTS } from '../test/harness.js';

describe.each(DIALECTS)('afterhours token [%s]', (dialect) => {
  let db: CliDatabase;
  beforeEach(async () => {
    db = await createCliDatabase(dialect);
  });
  afterEach(() => db.drop());

  const token = (...args: string[]) => runCli(['token', ...args, ...db.args]);

  async function rows() {
    const open = db.open();
    try {
      return {
        tokens: await open.kysely.selectFrom('api_tokens').selectAll().execute(),
        audit: await open.kysely.selectFrom('audit_events').selectAll().orderBy('at').execute(),
      };
    } finally {
      await open.close();
    }
  }

  it('creates a token, printing only the secret on stdout, once', async () => {
    const run = await token('create', '--name', 'backup script', '--role', 'technician');
    expect(run.code).toBe(0);
    const secret = run.stdout.trim();
    expect(secret).toMatch(/^ah_[A-Za-z0-9_-]{32}$/);
    expect(run.stderr).toMatch(/Created API token "backup script" \(technician, id [0-9a-f-]{36}\)/);
    expect(run.stderr).not.toContain(secret);

    const { tokens, audit } = await rows();
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({
      name: 'backup script',
      role: 'technician',
      secret_hash: hashToken(secret),
      prefix: secret.slice(0, 10),
      created_by: null,
    });
    expect(audit.map((a) => a.action)).toEqual(['token.create']);
    expect(JSON.stringify(audit)).not.toContain(secret);

    const list = await token('list');
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(tokens[0]!.id);
    expect(list.stdout).toContain(`${secret.slice(0, 10)}…`);
    expect(list.stdout).not.toContain(secret);
    expect(list.stdout).toMatch(/never\s+active/);
  });

  it('revokes a token by id', async () => {
    await token('create', '--name', 'ci', '--role', 'admin');
    const id = (await rows()).tokens[0]!.id;
    const revoked = await token('revoke', id);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(/Revoked API token "ci"/);
    const { tokens, audit } = await rows();
    expect(tokens[0]!.revoked_at).not.toBeNull();
    expect(audit.map((a) => a.action)).toEqual(['token.create', 'token.revoke']);
    expect((await token('list')).stdout).toMatch(/revoked \d{4}-/);
    const json = JSON.parse((await token('list', '--json')).stdout);
    expect(json[0]).toMatchObject({ id, revokedAt: expect.any(String) });

    const unknown = await token('revoke', newId());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/The API token was not found/);
    const notAnId = await token('revoke', 'banana');
    expect(notAnId.code).toBe(1);
    expect(notAnId.stderr).toMatch(/"banana" is not a token id/);
  });

  it('explains bad input by option and exits non-zero', async () => {
    const client = await token('create', '--name', 'portal', '--role', 'client');
    expect(client.code).toBe(1);
    expect(client.stderr).toMatch(/--client-id is required for the client role/);
    const bad = await token('create', '--name', '', '--role', 'root');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--name is required/);
    expect(bad.stderr).toMatch(/--role must be one of/);
    const missing = await token('create', '--role', 'admin');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/required option '--name <name>'/);
    expect((await rows()).tokens).toHaveLength(0);
    expect((await token('list')).stdout).toBe('No API tokens.\n');
  });

  it('has help', async () => {
    const help = await runCli(['token', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/create \[options\]/);
    expect(help.stdout).toMatch(/revoke/);
  });
});
