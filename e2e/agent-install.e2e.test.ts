import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, startAgent, type RunningAgent } from './agent-process.js';
import {
  ApiSession,
  createStorage,
  freePort,
  startHub,
  type HubStorage,
  type RunningHub,
  query,
} from './hub-process.js';

/**
 * The install script the hub serves, run for real (POSIX sh, curl) against the real hub process, into a
 * throwaway root (AFTERHOURS_INSTALL_ROOT: no system user, no systemd); then the installed agent runs,
 * enrols, runs its checks, restarts without a gap and is upgraded in place keeping its identity.
 * Needs `npm run build` (the agent release). Run:
 *   npx vitest run --config vitest.e2e.config.ts e2e/agent-install.e2e.test.ts
 */

const OWNER = { name: 'Pat Owner', email: 'pat@example.com', password: 'a long enough password' };
const UNIT_SOURCE = new URL('../docs/afterhours-agent.service', import.meta.url).pathname;

function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** The command the enrolment screen shows, run as a technician would (root is not needed in a throwaway root). */
function runInstall(command: string, root: string, extra = ''): { status: number | null; output: string } {
  const run = spawnSync('sh', ['-c', `${command.replace('| sudo sh -s --', '| sh -s --')}${extra}`], {
    env: { ...process.env, AFTERHOURS_INSTALL_ROOT: root },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe.each(['sqlite', 'postgres'] as const)('installing the agent with the hub’s script [%s]', (dialect) => {
  let storage: HubStorage | undefined;
  let hub: RunningHub | undefined;
  let agent: RunningAgent | undefined;
  let root: string | undefined;
  let target: Server | undefined;

  afterAll(async () => {
    await agent?.stop('SIGKILL');
    await hub?.stop();
    target?.close();
    await storage?.destroy();
    delete process.env.AFTERHOURS_PUBLIC_URL;
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('installs, enrols, runs checks, restarts without a gap and upgrades in place keeping its identity', async () => {
    storage = await createStorage(dialect);
    const port = await freePort();
    process.env.AFTERHOURS_PUBLIC_URL = `http://127.0.0.1:${port}/`;
    hub = await startHub(storage, port);
    const api = new ApiSession(hub.url);
    expect((await api.call('POST', '/api/setup', OWNER)).status).toBe(200);
    const client = await api.call('POST', '/api/clients', { name: 'Harbour Dental' });
    const site = await api.call('POST', '/api/sites', {
      clientId: client.body.id,
      name: 'Surgery',
      timeZone: 'Europe/London',
    });
    const system = await api.call('POST', '/api/systems', { siteId: site.body.id, name: 'Front desk', kind: 'server' });
    const created = await api.call('POST', '/api/agents', { siteId: site.body.id, name: 'Reception PC' });
    expect(created.status).toBe(201);
    const { command, hubUrlWarning } = created.body as { command: string; hubUrlWarning: string | null };
    const agentId: string = created.body.agent.id;
    // The public address (set, with a trailing slash that the hub drops) is in the command …
    expect(command).toBe(`curl -fsSL ${hub.url}/agent/install.sh | sudo sh -s -- --enrol ${created.body.enrolCode}`);
    expect(hubUrlWarning).toMatch(/this machine/); // … and 127.0.0.1 is flagged as unreachable from an office

    // 1. Install into a throwaway root.
    root = mkdtempSync(join(tmpdir(), 'afterhours-root-'));
    const prefix = join(root, 'opt/afterhours-agent');
    const dataDir = join(root, 'var/lib/afterhours-agent');
    const unit = join(root, 'etc/systemd/system/afterhours-agent.service');
    const first = runInstall(command, root);
    expect(first.status, first.output).toBe(0);
    expect(first.output).toContain('installed 0.1.0');
    expect(first.output).toContain(`enrolled with ${hub.url}`);
    const exe = join(prefix, 'afterhours-agent-linux-x64');
    expect(statSync(exe).mode & 0o111).not.toBe(0); // x64 here: the executable, not the Node bundle
    const identity = readFileSync(join(dataDir, 'agent.json'), 'utf8');
    expect(JSON.parse(identity)).toMatchObject({ hub: hub.url, agentId });
    expect(statSync(join(dataDir, 'agent.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readFileSync(unit, 'utf8')).toBe(readFileSync(UNIT_SOURCE, 'utf8'));
    if (hasCommand('systemd-analyze')) {
      // Verified against this root (its ExecStart is the installed launcher) with the system's own units.
      cpSync('/usr/lib/systemd/system', join(root, 'usr/lib/systemd/system'), { recursive: true });
      execFileSync('systemd-analyze', [`--root=${root}`, 'verify', unit], { stdio: 'pipe' });
    }

    // 2. Run the installed agent (as systemd would) with a check on a real TCP service.
    target = createServer((socket) => socket.on('error', () => {}).end());
    await new Promise<void>((resolve) => target!.listen(0, '127.0.0.1', resolve));
    const launcher = [join(prefix, 'afterhours-agent')];
    const args = ['--data-dir', dataDir];
    agent = startAgent(args, {}, launcher);
    await eventually('the installed agent to be welcomed', async () =>
      agent!.lines.some((l) => l.msg === 'the hub welcomed this agent'),
    );
    const check = await api.call('POST', '/api/checks', {
      systemId: system.body.id,
      name: 'Front desk port',
      kind: 'tcp',
      params: { host: '127.0.0.1', port: (target.address() as { port: number }).port },
      probe: 'agent',
      agentId,
      intervalS: 10,
      timeoutMs: 2000,
    });
    expect(check.status, JSON.stringify(check.body)).toBe(201);
    const stored = async () =>
      (
        await query<{ at: string; status: string }>(
          storage!,
          'select at, status from check_results where check_id = ? order by at',
          [check.body.id],
        )
      ).map((r) => ({ at: new Date(r.at).toISOString(), status: r.status }));
    await eventually('two results from the installed agent', async () => (await stored()).length >= 2, 60_000);

    // 3. Restart (systemctl restart): the checks carry on from disk at once.
    await agent.stop('SIGTERM');
    agent = startAgent(args, {}, launcher);
    await eventually('a run after the restart', async () => agent!.runs().length >= 1, 30_000);

    // 4. Upgrade in place with the same command: the code is not used again, the identity is kept.
    const inode = statSync(exe).ino;
    const again = runInstall(command, root);
    expect(again.status, again.output).toBe(0);
    expect(again.output).toContain('upgraded 0.1.0 -> 0.1.0');
    expect(again.output).toContain('already enrolled: keeping its identity');
    expect(statSync(exe).ino).not.toBe(inode); // replaced by rename, not written over while running
    expect(readFileSync(join(dataDir, 'agent.json'), 'utf8')).toBe(identity);
    // … and to the Node bundle (what a machine without an executable for its architecture gets).
    const toNode = runInstall(command, root, ' --build node');
    expect(toNode.status, toNode.output).toBe(0);
    expect(existsSync(join(prefix, 'afterhours-agent.cjs'))).toBe(true);
    expect(existsSync(exe)).toBe(false);
    expect(readFileSync(join(dataDir, 'agent.json'), 'utf8')).toBe(identity);

    await agent.stop('SIGTERM');
    const beforeUpgrade = agent.runs().length;
    expect(beforeUpgrade).toBeGreaterThan(0);
    agent = startAgent(args, {}, launcher);
    await eventually('the upgraded agent to be welcomed', async () =>
      agent!.lines.some((l) => l.msg === 'the hub welcomed this agent'),
    );
    await eventually('a run of the upgraded agent', async () => agent!.runs().length >= 1, 30_000);
    const shown = await api.call('GET', `/api/agents/${agentId}`);
    expect(shown.body).toMatchObject({ id: agentId, status: 'online', version: '0.1.0', outdated: false });

    // Stop the runs, then: every run stored, no hole in the window wider than one missed turn.
    expect((await api.call('PATCH', `/api/checks/${check.body.id}`, { paused: true })).status).toBe(200);
    const lastRun = agent.runs().at(-1)!.at;
    await eventually('the last run to be stored', async () => (await stored()).some((r) => r.at === lastRun), 30_000);
    const results = await stored();
    for (let i = 1; i < results.length; i++) {
      const gapMs = Date.parse(results[i]!.at) - Date.parse(results[i - 1]!.at);
      expect(gapMs, `gap before ${results[i]!.at}`).toBeLessThan(25_000);
    }
    expect(results.every((r) => r.status === 'up')).toBe(true);
  });
});
