import { Command, CommanderError } from 'commander';
import { registerAgent } from './agent.js';
import { registerServe } from './serve.js';
import { registerMigrate } from './migrate.js';
import { registerToken } from './token.js';
import { registerUser } from './user.js';
import { CliError } from './cli-error.js';

export function buildCli(): Command {
  const program = new Command('afterhours')
    .description('Afterhours: the out-of-hours desk of a managed-IT support firm')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerServe(program);
  registerMigrate(program);
  registerAgent(program);
  registerUser(program);
  registerToken(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildCli();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof CliError) {
      process.stderr.write(`afterhours: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`afterhours: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
