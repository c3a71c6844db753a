import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { CliError } from './cli-error.js';

export interface PasswordChoice {
  password: string;
  /** True when the hub made it up: the command must print it, once. */
  generated: boolean;
}

/**
 * Where a password for `user create` and `user reset-password` comes from, in order: --password,
 * AFTERHOURS_PASSWORD, a hidden prompt when a person is at a terminal, or a generated one.
 */
export async function choosePassword(given: string | undefined, who: string): Promise<PasswordChoice> {
  if (given !== undefined) return { password: given, generated: false };
  const fromEnv = process.env.AFTERHOURS_PASSWORD;
  if (fromEnv) return { password: fromEnv, generated: false };
  if (process.stdin.isTTY && process.stderr.isTTY) {
    const first = await promptHidden(`New password for ${who}: `);
    const again = await promptHidden('Type it again: ');
    if (first !== again) throw new CliError('the two passwords differ; nothing was changed');
    return { password: first, generated: false };
  }
  return { password: randomBytes(15).toString('base64url'), generated: true };
}

function promptHidden(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  process.stderr.write(question);
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {};
  return new Promise((resolve) =>
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    }),
  );
}
