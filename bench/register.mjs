#!/usr/bin/env node
// Register at the scale the foundation issue names (200 clients, 400 sites, 5,000 systems) on the built
// hub as a real process: seeds through the API, then times the reads the phone makes.
// Usage: node bench/register.mjs [sqlite|postgres]   (build first: npm run build)
import { statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { machine, seedRegister, startBuiltHub, setUpOwner } from './lib/hub.mjs';

const dialect = process.argv[2] ?? 'sqlite';
const ROUNDS = 200;

/** The answer's size on the wire when the client accepts `encoding` (a browser accepts brotli, older ones gzip). */
function wireBytes(api, path, encoding) {
  return new Promise((resolve, reject) => {
    const headers = { cookie: api.cookie, 'accept-encoding': encoding };
    request(api.base + path, { headers }, (res) => {
      let wire = 0;
      res.on('data', (chunk) => (wire += chunk.length));
      res.on('end', () =>
        resolve((res.headers['content-encoding'] ?? 'identity') === encoding ? wire : `${wire} (${encoding} refused)`),
      );
    })
      .on('error', reject)
      .end();
  });
}
const hub = await startBuiltHub(dialect);
try {
  const api = await setUpOwner(hub);
  const started = performance.now();
  const { siteIds, systemIds } = await seedRegister(api);
  const seedMs = performance.now() - started;
  const writes = 200 * 3 + systemIds.length;

  const reads = {
    'GET /api/overview': '/api/overview',
    'GET /api/clients?q=07': '/api/clients?q=07',
    'GET /api/systems?q=sys-49 (search 5,000)': '/api/systems?q=sys-49',
    'GET /api/systems?siteId=… (one site)': `/api/systems?siteId=${siteIds[7]}`,
  };
  const rows = [];
  for (const [label, path] of Object.entries(reads)) {
    const times = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      await api.call('GET', path);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    rows.push({
      label,
      p50: times[Math.floor(ROUNDS * 0.5)],
      p99: times[Math.floor(ROUNDS * 0.99)],
      json: await wireBytes(api, path, 'identity'),
      br: await wireBytes(api, path, 'br'),
      gzip: await wireBytes(api, path, 'gzip'),
    });
  }
  console.log(`\nRegister benchmark on ${dialect}, ${machine()}`);
  console.log(
    `Seeded 200 clients, 400 sites, ${systemIds.length} systems (${writes} API writes) in ${(seedMs / 1000).toFixed(1)} s = ${(writes / (seedMs / 1000)).toFixed(0)} writes/s`,
  );
  if (dialect === 'sqlite')
    console.log(`SQLite file: ${(statSync(join(hub.dataDir, 'afterhours.db')).size / 1024 / 1024).toFixed(1)} MiB`);
  console.log('| read | p50 ms | p99 ms | bytes | brotli | gzip |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(`| ${r.label} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.json} | ${r.br} | ${r.gzip} |`);
} finally {
  await hub.stop();
}
