import { CreateTokenRequest, Id, Role } from '@afterhours/shared';
import type { Command } from 'commander';
import { createToken, listTokens, revokeToken } from '../domain/accounts/tokens.js';
import { parseOptions, table, withAccountsContext, type DatabaseOptions } from './accounts-context.js';
import { withDatabaseOptions } from './common.js';
import { CliError } from './cli-error.js';

export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('Manage API tokens for scripts and integrations (changes are recorded in the audit log)');

  withDatabaseOptions(
    token
      .command('create')
      .description(
        'Create an API token. The secret goes to stdout, alone, and is shown only this once; the rest goes to stderr.',
      )
      .requiredOption('--name <name>', 'what it is for, e.g. "backup script"')
      .requiredOption('--role <role>', `one of ${Role.options.join(', ')}`)
      .option('--client-id <id>', 'for the client role: the only client firm the token may see'),
  ).action(async (options: DatabaseOptions & { name: string; role: string; clientId?: string }) => {
    const input = parseOptions(
      CreateTokenRequest.safeParse({ name: options.name, role: options.role, clientId: options.clientId ?? null }),
    );
    const { token: created, secret } = await withAccountsContext(options, (ctx, actor) =>
      createToken(ctx, actor, input),
    );
    process.stderr.write(
      `Created API token "${created.name}" (${created.role}, id ${created.id}). Store the secret now; it cannot be shown again:\n`,
    );
    process.stdout.write(`${secret}\n`);
  });

  withDatabaseOptions(
    token
      .command('list')
      .description('List every API token, revoked ones included')
      .option('--json', 'print JSON instead of a table'),
  ).action(async (options: DatabaseOptions & { json?: boolean }) => {
    const tokens = await withAccountsContext(options, (ctx, actor) => listTokens(ctx, actor));
    if (options.json) return void process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
    if (tokens.length === 0) return void process.stdout.write('No API tokens.\n');
    const rows = tokens.map((t) => [
      t.id,
      t.name,
      t.role,
      t.prefix + '…',
      t.createdAt,
      t.lastUsedAt ?? 'never',
      t.revokedAt ? `revoked ${t.revokedAt}` : 'active',
    ]);
    process.stdout.write(table(['ID', 'NAME', 'ROLE', 'PREFIX', 'CREATED', 'LAST USED', 'STATUS'], rows));
  });

  withDatabaseOptions(
    token
      .command('revoke')
      .description('Revoke an API token: it stops working at once')
      .argument('<id>', 'the token id (see: afterhours token list)'),
  ).action(async (id: string, options: DatabaseOptions) => {
    if (!Id.safeParse(id).success) throw new CliError(`"${id}" is not a token id; see: afterhours token list`);
    const revoked = await withAccountsContext(options, (ctx, actor) => revokeToken(ctx, actor, id));
    process.stdout.write(`Revoked API token "${revoked.name}" (${revoked.prefix}…).\n`);
  });
}
