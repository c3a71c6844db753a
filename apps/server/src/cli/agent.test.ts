import { expect, it } from 'vitest';
import { runCli } from '../test/cli.js';

it('runs the site agent as `afterhours agent`, passing its arguments and exit code on', async () => {
  const help = await runCli(['agent', '--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: afterhours-agent');
  const bad = await runCli(['agent', '--hub', 'not a url']);
  expect(bad.code).toBe(64);
  expect(bad.stderr).toContain('--hub must be a URL');
});
