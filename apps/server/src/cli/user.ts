import { CreateUserRequest, Password, Role } from '@afterhours/shared';
import type { Command } from 'commander';
import { resetTwoFactor } from '../domain/accounts/two-factor.js';
import { createUser, listUsers, updateUser } from '../domain/accounts/users.js';
import { findUserByEmail } from '../domain/auth/users.js';
import { parseOptions, table, withAccountsContext, type DatabaseOptions } from './accounts-context.js';
import { withDatabaseOptions } from './common.js';
import { CliError } from './cli-error.js';
import { choosePassword } from './password-input.js';

const PASSWORD_SOURCES =
  'The password comes from --password, else AFTERHOURS_PASSWORD, else a prompt at a terminal; otherwise one is generated and printed once.';

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage user accounts (changes are recorded in the audit log)');

  withDatabaseOptions(
    user
      .command('create')
      .description(`Create a user. ${PASSWORD_SOURCES}`)
      .requiredOption('--email <email>', 'their e-mail address, used to sign in')
      .requiredOption('--role <role>', `one of ${Role.options.join(', ')}`)
      .option('--name <name>', 'their name (default: the part of the e-mail before @)')
      .option('--client-id <id>', 'for the client role: the client firm they belong to')
      .option(
        '--password <password>',
        'their password (visible to other users of this machine; prefer AFTERHOURS_PASSWORD)',
      ),
  ).action(
    async (
      options: DatabaseOptions & { email: string; role: string; name?: string; clientId?: string; password?: string },
    ) => {
      const { password, generated } = await choosePassword(options.password, options.email);
      const input = parseOptions(
        CreateUserRequest.safeParse({
          email: options.email,
          role: options.role,
          name: options.name ?? options.email.split('@')[0],
          clientId: options.clientId ?? null,
          password,
        }),
      );
      const created = await withAccountsContext(options, (ctx, actor) => createUser(ctx, actor, input));
      process.stdout.write(`Created ${created.role} ${created.email} (id ${created.id}).\n`);
      if (generated)
        process.stdout.write(
          `Password: ${password}\nIt is shown only this once; pass it on safely and ask them to change it after signing in.\n`,
        );
    },
  );

  withDatabaseOptions(
    user
      .command('reset-password')
      .description(`Set a new password for a user and sign them out everywhere. ${PASSWORD_SOURCES}`)
      .requiredOption('--email <email>', 'the e-mail address of the account')
      .option(
        '--password <password>',
        'the new password (visible to other users of this machine; prefer AFTERHOURS_PASSWORD)',
      ),
  ).action(async (options: DatabaseOptions & { email: string; password?: string }) => {
    const { password, generated } = await choosePassword(options.password, options.email);
    const checked = parseOptions(Password.safeParse(password));
    const updated = await withAccountsContext(options, async (ctx, actor) => {
      const found = await findUserByEmail(ctx.db.kysely, options.email.trim());
      if (!found) throw new CliError(`no user has the e-mail ${options.email} (see: afterhours user list)`);
      return updateUser(ctx, actor, found.id, { password: checked });
    });
    process.stdout.write(`Password of ${updated.email} reset; their sessions have ended.\n`);
    if (generated) process.stdout.write(`Password: ${password}\nIt is shown only this once.\n`);
  });

  withDatabaseOptions(
    user
      .command('reset-two-factor')
      .description('Turn off two-factor sign-in for a user who lost their phone, and sign them out everywhere')
      .requiredOption('--email <email>', 'the e-mail address of the account'),
  ).action(async (options: DatabaseOptions & { email: string }) => {
    const updated = await withAccountsContext(options, async (ctx, actor) => {
      const found = await findUserByEmail(ctx.db.kysely, options.email.trim());
      if (!found) throw new CliError(`no user has the e-mail ${options.email} (see: afterhours user list)`);
      return resetTwoFactor(ctx, actor, found.id);
    });
    process.stdout.write(
      `Two-factor sign-in of ${updated.email} is off; they can sign in with their password and enrol a new phone.\n`,
    );
  });

  withDatabaseOptions(
    user.command('list').description('List every user').option('--json', 'print JSON instead of a table'),
  ).action(async (options: DatabaseOptions & { json?: boolean }) => {
    const users = await withAccountsContext(options, (ctx, actor) => listUsers(ctx, actor));
    if (options.json) return void process.stdout.write(JSON.stringify(users, null, 2) + '\n');
    if (users.length === 0)
      return void process.stdout.write(
        'No users yet. Create the owner with: afterhours user create --role owner --email …\n',
      );
    const rows = users.map((u) => [
      u.email,
      u.name,
      u.role,
      u.clientId ?? '',
      u.disabled ? 'disabled' : 'active',
      u.totpEnabled ? 'on' : 'off',
      u.lastSignInAt ?? 'never',
    ]);
    process.stdout.write(table(['EMAIL', 'NAME', 'ROLE', 'CLIENT', 'STATUS', '2FA', 'LAST SIGN-IN'], rows));
  });
}
