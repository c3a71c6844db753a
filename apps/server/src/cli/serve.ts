import { setFlagsFromString } from 'node:v8';
import { InvalidArgumentError, type Command } from 'commander';
import { parsePublicUrl, startHub } from '../hub.js';
import { configFromOptions, withDatabaseOptions } from './common.js';
import { heapGrowthFlag, heapGrowthPercentFromEnv } from './heap-growth.js';

function parsePort(value: string): string {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new InvalidArgumentError('must be a port number from 1 to 65535');
  return value;
}

export function registerServe(program: Command): void {
  withDatabaseOptions(
    program
      .command('serve')
      .description('Run the hub: API, web app and workers')
      .option('-p, --port <port>', 'port to listen on (env PORT, default 8080)', parsePort)
      .option(
        '--public-url <url>',
        'the hub as offices reach it, e.g. https://desk.example.com (env AFTERHOURS_PUBLIC_URL); used in the agent install command',
      ),
  ).action(async (options: { port?: string; dataDir?: string; databaseUrl?: string; publicUrl?: string }) => {
    const config = configFromOptions(options);
    const heapFlag = heapGrowthFlag(heapGrowthPercentFromEnv(process.env), process.execArgv);
    if (heapFlag) setFlagsFromString(heapFlag);
    if (options.publicUrl) config.publicUrl = parsePublicUrl(options.publicUrl);
    const hub = await startHub(config);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    hub.ctx.log.info('shutting down');
    await hub.close();
  });
}
