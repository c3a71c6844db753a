#!/usr/bin/env node
/**
 * Builds what the hub serves under /agent/ (apps/agent/release/, see docs/agent.md):
 *   afterhours-agent.cjs          the agent in one file; runs on any OS with Node.js 20.19+
 *   afterhours-agent-linux-<arch> a self-contained executable (Node's single-executable applications),
 *                                 for the architecture of the Node.js running this build only: an
 *                                 executable embeds the node binary it is made from
 *   afterhours-agent.service      the systemd unit (docs/afterhours-agent.service)
 *   agent.md                      the agent's documentation (docs/agent.md), served at /docs/agent
 *   install.sh                    the install script; the hub fills in its public address when serving it
 *   manifest.json, SHA256SUMS     the version, what was built and what not (and why), the checksums
 * The bundle is quick (under a second); the executable copies and patches a ~100 MB node binary, so it is
 * remade only when the bundle or the node binary changed (AFTERHOURS_AGENT_SEA=off skips it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const agentDir = join(here, '..');
const repo = join(agentDir, '..', '..');
const out = join(agentDir, 'release');
const require = createRequire(import.meta.url);
const { version } = JSON.parse(readFileSync(join(agentDir, 'package.json'), 'utf8'));

const BUNDLE = 'afterhours-agent.cjs';
const ARCHES = ['x64', 'arm64'];
const started = Date.now();
mkdirSync(out, { recursive: true });

// 1. The bundle: CommonJS, because a single-executable application's main script must be CommonJS.
await build({
  entryPoints: [join(agentDir, 'src', 'cli.ts')],
  outfile: join(out, BUNDLE),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  banner: { js: '#!/usr/bin/env node' },
  define: {
    AFTERHOURS_AGENT_VERSION: JSON.stringify(version),
    // ws tries to load two optional native speed-ups; the agent does not need them, and inside an
    // executable that attempt only prints a warning.
    'process.env.WS_NO_BUFFER_UTIL': '"1"',
    'process.env.WS_NO_UTF_8_VALIDATE': '"1"',
  },
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [noNativeAddons()],
  logLevel: 'warning',
});
const bundle = readFileSync(join(out, BUNDLE));

// 2. The executable for this machine's architecture, when missing or outdated.
const notBuilt = {};
const executables = [];
for (const a of ARCHES) {
  const name = `afterhours-agent-linux-${a}`;
  if (platform() !== 'linux' || a !== arch()) {
    rmSync(join(out, name), { force: true });
    notBuilt[`linux-${a}`] =
      `not built here: a single executable embeds the node binary it is made from, and this build ran on ${platform()}-${arch()}. Use afterhours-agent.cjs with Node.js 20.19+ (the install script does so by itself).`;
    continue;
  }
  if (process.env.AFTERHOURS_AGENT_SEA === 'off') {
    notBuilt[`linux-${a}`] = 'not built: AFTERHOURS_AGENT_SEA=off';
    rmSync(join(out, name), { force: true });
    continue;
  }
  const stamp = sha256(Buffer.concat([bundle, Buffer.from(`\n${process.version}\n${process.execPath}`)]));
  const stampFile = join(out, `${name}.stamp`);
  if (existsSync(join(out, name)) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) {
    executables.push(name);
    continue;
  }
  const seaStarted = Date.now();
  const blob = join(out, 'sea-prep.blob');
  const config = join(out, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({ main: join(out, BUNDLE), output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const tmp = join(out, `${name}.tmp`);
  copyFileSync(process.execPath, tmp);
  chmodSync(tmp, 0o755);
  execFileSync(
    process.execPath,
    [
      require.resolve('postject/dist/cli.js'),
      tmp,
      'NODE_SEA_BLOB',
      blob,
      '--sentinel-fuse',
      'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
    ],
    // postject's LIEF prints harmless section warnings; shown only if it fails.
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  renameSync(tmp, join(out, name));
  rmSync(blob, { force: true });
  rmSync(config, { force: true });
  writeFileSync(stampFile, stamp);
  executables.push(name);
  console.log(`agent: built ${name} in ${((Date.now() - seaStarted) / 1000).toFixed(1)} s`);
}

// 3. The unit, the docs, the manifest and the checksums.
copyFileSync(join(repo, 'docs', 'afterhours-agent.service'), join(out, 'afterhours-agent.service'));
copyFileSync(join(repo, 'docs', 'agent.md'), join(out, 'agent.md'));
copyFileSync(join(agentDir, 'install', 'install.sh'), join(out, 'install.sh'));
const served = [BUNDLE, ...executables, 'afterhours-agent.service'];
writeFileSync(
  join(out, 'SHA256SUMS'),
  served.map((name) => `${sha256(readFileSync(join(out, name)))}  ${name}\n`).join(''),
);
writeFileSync(
  join(out, 'manifest.json'),
  `${JSON.stringify({ version, node: '>=20.19', files: served, notBuilt }, null, 2)}\n`,
);
console.log(`agent: release ${version} in apps/agent/release (${((Date.now() - started) / 1000).toFixed(1)} s)`);

/**
 * Native addons (ssh2's optional crypto and cpu-features) cannot be in a one-file bundle; each is loaded
 * inside a try and has a JavaScript fallback, so in the bundle loading one simply fails.
 */
function noNativeAddons() {
  return {
    name: 'no-native-addons',
    setup(b) {
      b.onResolve({ filter: /\.node$/ }, (args) => ({ path: args.path, namespace: 'native-addon' }));
      b.onLoad({ filter: /.*/, namespace: 'native-addon' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`${args.path}: native addons are not in the bundle`)});`,
      }));
    },
  };
}

function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}
