#!/usr/bin/env node
// From a state change to the first message handed to its channel, with 1,000 alerts already open.
//
// In one process, on the BUILT hub code (npm run build first): the alert worker, the escalation worker and
// the outbox worker run as `afterhours serve` runs them (woken by bus events, never ticking). 1,000 checks go
// down first (1,000 open alerts, each paged); then, one at a time, another check goes down through the real
// ingest path and the time until its page reaches a webhook sink on loopback is measured.
//
// Usage: node bench/alerts.mjs [--db sqlite|postgres] [--samples 200] [--open 1000]
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { adminQuery, machine, PG_URL } from './lib/hub.mjs';
import { checkRow, technicianRow } from './lib/register-rows.mjs';

const dist = (p) => new URL(`../apps/server/dist/${p}`, import.meta.url).href;
const { openDatabase } = await import(dist('db/database.js'));
const { migrateToLatest } = await import(dist('db/migrate.js'));
const { ingestResults } = await import(dist('domain/monitoring/ingest.js'));
const { EventBus } = await import(dist('events/bus.js'));
const { SecretBox } = await import(dist('lib/secrets.js'));
const { systemClock } = await import(dist('lib/clock.js'));
const { DEFAULT_SETTINGS, DEFAULT_ALERT_SETTINGS } = await import(dist('context.js'));
const { DEFAULT_NOTIFY_SETTINGS } = await import(dist('domain/notify/settings.js'));
const { startAlertWorkers } = await import(dist('worker/alert-workers.js'));
const { OutboxWorker } = await import(dist('worker/outbox.js'));

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    samples: { type: 'string', default: '200' },
    open: { type: 'string', default: '1000' },
  },
});
const SAMPLES = Number(args.samples);
const OPEN = Number(args.open);

// ---- the channel's side: a webhook receiver that notes when each page arrives ----
const arrived = new Map();
let received = 0;
const sink = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    received += 1;
    const at = performance.now();
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const text = JSON.stringify(body);
      const m = /bench-check-(\d+)/.exec(text);
      if (m && !arrived.has(m[1])) arrived.set(m[1], at);
    } catch {}
    res.writeHead(200).end('ok');
  });
});
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${sink.address().port}/hook`;

// ---- the hub's database and context ----
let db;
let dir;
let schema;
if (args.db === 'sqlite') {
  dir = mkdtempSync(join(tmpdir(), 'afterhours-alerts-bench-'));
  db = openDatabase({ sqliteFile: join(dir, 'afterhours.db') });
} else {
  schema = `bench_alerts_${Date.now()}`;
  await adminQuery(`create schema ${schema}`);
  db = openDatabase({ url: PG_URL, pgSchema: schema });
}
await migrateToLatest(db);
const secrets = SecretBox.fromKey(Buffer.alloc(32, 7));
const ctx = {
  db,
  clock: systemClock,
  bus: new EventBus(),
  secrets,
  log: pino({ level: 'silent' }),
  settings: {
    ...DEFAULT_SETTINGS,
    publicUrl: 'https://desk.example',
    alerts: DEFAULT_ALERT_SETTINGS,
    notify: { ...DEFAULT_NOTIFY_SETTINGS, sendTimeoutMs: 5000 },
  },
};
const k = db.kysely;
const now = new Date().toISOString();
const client = {
  id: crypto.randomUUID(),
  name: 'Harbour Dental',
  name_lower: 'harbour dental',
  notes: '',
  contract_json: '{"supportHours":{"kind":"always"},"responseTargetMinutes":60}',
  created_at: now,
  updated_at: now,
};
const site = {
  id: crypto.randomUUID(),
  client_id: client.id,
  name: 'Office',
  name_lower: 'office',
  address: '',
  notes: '',
  time_zone: 'Europe/London',
  created_at: now,
  updated_at: now,
};
const system = {
  id: crypto.randomUUID(),
  site_id: site.id,
  client_id: client.id,
  name: 'dc01',
  name_lower: 'dc01',
  kind: 'server',
  host: '127.0.0.1',
  criticality: 'critical',
  notes: '',
  created_at: now,
  updated_at: now,
};
await k.insertInto('clients').values(client).execute();
await k.insertInto('sites').values(site).execute();
// One alert per server: each check is on a server of its own, so each check going down is an alert.
const systems = Array.from({ length: OPEN + SAMPLES }, (_, i) => ({
  ...system,
  id: crypto.randomUUID(),
  name: `srv-${i}`,
  name_lower: `srv-${i}`,
}));
for (let i = 0; i < systems.length; i += 400)
  await k
    .insertInto('systems')
    .values(systems.slice(i, i + 400))
    .execute();
const user = technicianRow('tech@desk.example', 'Tech', now);
await k.insertInto('users').values(user).execute();
await k
  .insertInto('contact_methods')
  .values({
    id: crypto.randomUUID(),
    user_id: user.id,
    kind: 'webhook',
    label: 'hook',
    settings_enc: secrets.encrypt(JSON.stringify({ url: sinkUrl, secret: 'a-bench-secret-long-enough' })),
    summary: 'hook',
    verified_at: now,
    broken_at: null,
    broken_reason: null,
    created_at: now,
    updated_at: now,
  })
  .execute();
await k
  .insertInto('escalation_policies')
  .values({
    id: crypto.randomUUID(),
    name: 'Default',
    is_default: 1,
    steps_json: JSON.stringify([{ targets: [{ type: 'user', id: user.id }], waitMinutes: 30 }]),
    repeat: 0,
    created_at: now,
    updated_at: now,
  })
  .execute();
const checks = [];
for (let i = 0; i < OPEN + SAMPLES; i++) {
  // Up, with a result already: its first failure is a change to down.
  checks.push(
    checkRow(systems[i], i, now, {
      name: `bench-check-${i}`,
      kind: 'tcp',
      params_json: '{"host":"127.0.0.1","port":9}',
      failures_before_down: 1,
      state: 'up',
      computed_state: 'up',
      state_reason: 'ok',
      consecutive_successes: 1,
      last_run_at: now,
      last_status: 'up',
      last_latency_ms: 1,
      last_message: 'ok',
      next_run_at: null,
    }),
  );
}
for (let i = 0; i < checks.length; i += 200)
  await k
    .insertInto('checks')
    .values(checks.slice(i, i + 200))
    .execute();

const alerting = startAlertWorkers(ctx);
const outbox = new OutboxWorker(ctx);
await outbox.start();
const down = (c) => ({
  checkId: c.id,
  at: new Date().toISOString(),
  status: 'down',
  latencyMs: null,
  message: 'no reply',
});

// ---- 1,000 alerts open (and paged) before measuring ----
const t0 = performance.now();
for (let i = 0; i < OPEN; i += 100)
  await ingestResults(ctx, { type: 'hub' }, checks.slice(i, Math.min(i + 100, OPEN)).map(down));
const deadline = Date.now() + 300_000;
while (received < OPEN && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const open = await k
  .selectFrom('alerts')
  .select((eb) => eb.fn.countAll().as('n'))
  .where('state', '=', 'open')
  .executeTakeFirst();
console.log(`${open.n} alerts open, ${received} pages delivered in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// ---- the measurement: one new problem at a time ----
const latencies = [];
for (let s = 0; s < SAMPLES; s++) {
  const check = checks[OPEN + s];
  const index = String(OPEN + s);
  const start = performance.now();
  await ingestResults(ctx, { type: 'hub' }, [down(check)]);
  const until = Date.now() + 10_000;
  while (!arrived.has(index) && Date.now() < until) await new Promise((r) => setImmediate(r));
  if (!arrived.has(index)) throw new Error(`page for sample ${s} never arrived`);
  latencies.push(arrived.get(index) - start);
  await new Promise((r) => setTimeout(r, 20));
}
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.ceil((p / 100) * latencies.length) - 1)].toFixed(1);
console.log(`machine: ${machine()}; database: ${args.db}`);
console.log(`state change → page handed to the webhook, ${SAMPLES} samples with ${OPEN}+ alerts open:`);
console.log(`  p50 ${pct(50)} ms   p95 ${pct(95)} ms   p99 ${pct(99)} ms   max ${latencies.at(-1).toFixed(1)} ms`);
console.log(
  `  load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const attempts = await k
  .selectFrom('outbox')
  .select(['attempts', (eb) => eb.fn.countAll().as('n')])
  .groupBy('attempts')
  .execute();
console.log(`  outbox rows by attempts: ${attempts.map((r) => `${r.attempts}×${r.n}`).join(', ')}`);

await alerting.stop();
await outbox.stop();
await db.close();
sink.close();
if (dir) rmSync(dir, { recursive: true, force: true });
if (schema) await adminQuery(`drop schema ${schema} cascade`);
