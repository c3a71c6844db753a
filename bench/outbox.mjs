#!/usr/bin/env node
// Outbox throughput: N pages queued at once (one person, one webhook method each: the generic webhook,
// JSON signed with HMAC) handed to a local HTTP sink by the real OutboxWorker (claims, sends, records
// each message and its delivery-log events), measured from the worker's start until every row is 'sent'.
// Target ≥ 200 messages/s (issue 10).
//
// Usage: node bench/outbox.mjs [--db sqlite|postgres] [--messages 5000] [--concurrency 32]     Build first: npm run build
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { adminQuery, machine, PG_URL } from './lib/hub.mjs';
import { technicianRow } from './lib/register-rows.mjs';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string', default: 'sqlite' },
    messages: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '32' },
  },
});
const DIALECT = args.db;
const MESSAGES = Number(args.messages);

const dist = (p) => new URL(`../apps/server/dist/${p}`, import.meta.url).href;
const { openDatabase } = await import(dist('db/database.js'));
const { migrateToLatest } = await import(dist('db/migrate.js'));
const { EventBus } = await import(dist('events/bus.js'));
const { SecretBox } = await import(dist('lib/secrets.js'));
const { systemClock } = await import(dist('lib/clock.js'));
const { DEFAULT_SETTINGS } = await import(dist('context.js'));
const { DEFAULT_NOTIFY_SETTINGS } = await import(dist('domain/notify/settings.js'));
const { pageUser } = await import(dist('domain/notify/page.js'));
const { OutboxWorker } = await import(dist('worker/outbox.js'));

// ---- the sink: answers 200 at once, like a healthy webhook receiver -----------------------------------
let received = 0;
const sink = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    received++;
    res.writeHead(200).end('ok');
  });
});
sink.keepAliveTimeout = 30_000;
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${sink.address().port}/hook`;

// ---- the database ---------------------------------------------------------------------------------------
let db;
let dir;
let schema;
if (DIALECT === 'sqlite') {
  dir = mkdtempSync(join(tmpdir(), 'afterhours-outbox-bench-'));
  db = openDatabase({ sqliteFile: join(dir, 'afterhours.db') });
} else {
  schema = `bench_outbox_${Date.now()}`;
  await adminQuery(`create schema ${schema}`);
  db = openDatabase({ url: PG_URL, pgSchema: schema });
}
await migrateToLatest(db);
const secrets = SecretBox.fromKey(randomBytes(32));
const ctx = {
  db,
  clock: systemClock,
  bus: new EventBus(),
  secrets,
  log: pino({ level: 'warn' }),
  settings: { ...DEFAULT_SETTINGS, notify: { ...DEFAULT_NOTIFY_SETTINGS, concurrency: Number(args.concurrency) } },
};

// 100 people with a verified webhook method each; N pages spread over them.
const now = new Date().toISOString();
const people = [];
for (let i = 0; i < 100; i++) {
  const user = technicianRow(`tech${i}@example.com`, `Tech ${i}`, now);
  await db.kysely.insertInto('users').values(user).execute();
  await db.kysely
    .insertInto('contact_methods')
    .values({
      id: crypto.randomUUID(),
      user_id: user.id,
      kind: 'webhook',
      label: 'hook',
      settings_enc: secrets.encrypt(JSON.stringify({ url, secret: 'a-long-enough-secret' })),
      summary: '127.0.0.1',
      verified_at: now,
      verify_code_hash: null,
      verify_expires_at: null,
      verify_failures: 0,
      broken_at: null,
      broken_reason: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  people.push(user.id);
}
const message = {
  title: 'Server down',
  body: 'dc01 has not answered ping for 3 minutes.',
  links: { ack: 'https://desk.example/l/ack?t=x', open: 'https://desk.example/l/open?t=y' },
  client: 'Harbour Dental',
  site: 'Main office',
  since: now,
};
for (let i = 0; i < MESSAGES; i += 500) {
  await db.kysely.transaction().execute(async (trx) => {
    for (let j = i; j < Math.min(MESSAGES, i + 500); j++)
      await pageUser(trx, {
        userId: people[j % people.length],
        subject: { type: 'alert', id: `alert-${j}` },
        round: 's0',
        message,
        urgency: 'high',
        now,
      });
  });
}

// ---- the run ----------------------------------------------------------------------------------------------
const worker = new OutboxWorker(ctx);
const load0 = loadavg();
const started = performance.now();
await worker.start();
for (;;) {
  const row = await db.kysely
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  if (Number(row.n) >= MESSAGES) break;
  await new Promise((r) => setTimeout(r, 20));
}
const seconds = (performance.now() - started) / 1000;
await worker.stop();
const load1 = loadavg();
const failed = await db.kysely.selectFrom('outbox').select('id').where('status', '!=', 'sent').execute();

console.log(
  `outbox → local HTTP sink, ${DIALECT}, ${MESSAGES} messages, concurrency ${args.concurrency} (${machine()})`,
);
console.log(
  `  ${(MESSAGES / seconds).toFixed(0)} messages/s (${seconds.toFixed(2)} s); sink received ${received}; not sent ${failed.length}`,
);
console.log(
  `  load average before ${load0.map((l) => l.toFixed(2)).join(' ')}, after ${load1.map((l) => l.toFixed(2)).join(' ')}`,
);

sink.close();
await db.close();
if (dir) rmSync(dir, { recursive: true, force: true });
if (schema) await adminQuery(`drop schema ${schema} cascade`);
