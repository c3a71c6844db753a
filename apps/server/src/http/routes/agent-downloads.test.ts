import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentRelease } from '../../domain/agents/release.js';
import { anonymous, setupOwner, type TestAgent } from '../../test/agent.js';
import { insertClientWithSystem } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

/** A release directory as apps/agent/scripts/build-release.mjs leaves it, with small stand-in files. */
function fakeRelease(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'afterhours-release-'));
  const files = { 'afterhours-agent.cjs': 'console.log("agent")\n', 'afterhours-agent-linux-x64': 'ELF…' };
  const sums = Object.entries(files)
    .map(([name, body]) => `${createHash('sha256').update(body).digest('hex')}  ${name}\n`)
    .join('');
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), body);
  writeFileSync(join(dir, 'SHA256SUMS'), sums);
  writeFileSync(join(dir, 'install.sh'), "#!/bin/sh\nHUB='__AFTERHOURS_HUB_URL__'\n");
  writeFileSync(join(dir, 'agent.md'), '# The site agent\n');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version,
      node: '>=20.19',
      files: Object.keys(files),
      notBuilt: { 'linux-arm64': 'not built here: no arm64 node binary' },
    }),
  );
  return dir;
}

forEachDatabase('the agent downloads', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let dir: string;

  beforeAll(async () => {
    dir = fakeRelease('0.2.0');
    hub = await createTestHub(dialect, {
      publicUrl: 'https://desk.example.com',
      agentRelease: loadAgentRelease(dir),
    });
    owner = await setupOwner(hub);
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the install script without a session, with the public address filled in, never cached', async () => {
    const res = await anonymous(hub).send('GET', '/agent/install.sh', undefined, { host: 'internal:8080' });
    expect(res.status).toBe(200);
    expect(res.body).toContain("HUB='https://desk.example.com'");
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('serves the builds, their checksums and the version; says why a platform is missing', async () => {
    const sums = await anonymous(hub).send('GET', '/agent/SHA256SUMS');
    expect(sums.status).toBe(200);
    expect(sums.body).toMatch(/^[0-9a-f]{64} {2}afterhours-agent\.cjs$/m);
    const bundle = await anonymous(hub).send('GET', '/agent/afterhours-agent.cjs');
    expect(bundle.body).toBe('console.log("agent")\n');
    expect((await anonymous(hub).send('GET', '/agent/version')).body).toBe('0.2.0\n');
    const arm = await anonymous(hub).send('GET', '/agent/afterhours-agent-linux-arm64');
    expect(arm.status).toBe(404);
    expect(arm.body).toContain('no arm64 node binary');
    const index = await anonymous(hub).send('GET', '/agent/');
    expect(index.body).toContain('curl -fsSL https://desk.example.com/agent/install.sh | sudo sh -s -- --enrol CODE');
    expect(index.body).toContain('linux-arm64: not built here');
  });

  it('serves nothing outside the release (no path tricks)', async () => {
    for (const path of ['/agent/manifest.json', '/agent/..%2Fmanifest.json', '/agent/%2E%2E%2F%2E%2E%2Fpackage.json'])
      expect((await anonymous(hub).send('GET', path)).status, path).toBe(404);
  });

  it('serves the agent documentation as text at /docs/agent', async () => {
    const res = await anonymous(hub).send('GET', '/docs/agent');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('# The site agent');
  });

  it('uses the public address in the enrolment command, without a warning, and marks agents older than it serves', async () => {
    const scene = await insertClientWithSystem(hub.ctx.db.kysely, 'Harbour Dental');
    const res = await owner.send('POST', '/api/agents', { siteId: scene.site.id, name: 'NAS' }, { host: 'internal' });
    expect(res.body.command).toBe(
      `curl -fsSL https://desk.example.com/agent/install.sh | sudo sh -s -- --enrol ${res.body.enrolCode}`,
    );
    expect(res.body.hubUrlWarning).toBeNull();

    const id = res.body.agent.id;
    const setVersion = (version: string) =>
      hub.ctx.db.kysely.updateTable('agents').set({ version }).where('id', '=', id).execute();
    await setVersion('0.1.9');
    expect((await owner.send('GET', `/api/agents/${id}`)).body.outdated).toBe(true);
    await setVersion('0.2.0');
    expect((await owner.send('GET', `/api/agents/${id}`)).body.outdated).toBe(false);
    await setVersion('0.10.0');
    expect((await owner.send('GET', `/api/agents?siteId=${scene.site.id}`)).body.items[0].outdated).toBe(false);
  });
});

describe('without a built agent', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await createTestHub('sqlite');
  });
  afterAll(() => hub.close());

  it('says how to build it', async () => {
    const res = await anonymous(hub).send('GET', '/agent/install.sh');
    expect(res.status).toBe(404);
    expect(res.body).toContain('npm run build');
  });
});
