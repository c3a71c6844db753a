import { CommanderError, type Command } from 'commander';

/**
 * `afterhours agent …` runs the site agent, exactly as `afterhours-agent …` does: one command to
 * remember at a client's office. The agent's own parser reads the arguments, so they are passed on
 * untouched (`afterhours agent --help` prints the agent's help).
 */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('Run the site agent at a client office (same as afterhours-agent; see afterhours agent --help)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .action(async (args: string[]) => {
      const { main } = await import('@afterhours/agent');
      const code = await main(args);
      // The agent has said what went wrong; pass its exit code (64 usage, 78 configuration) on.
      if (code !== 0) throw new CommanderError(code, 'afterhours.agent', '');
    });
}
