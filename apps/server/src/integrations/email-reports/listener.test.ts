import { createConnection } from 'node:net';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DEFAULT_HEARTBEAT_SETTINGS } from '../../domain/heartbeats/settings.js';
import { countRows } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { heartbeatScene } from '../../test/heartbeats.js';
import { startEmailReports, type EmailReportListener } from './listener.js';

const smtp = { port: 0, host: '127.0.0.1', domains: ['reports.example.test'], maxBytes: 64 * 1024 };

forEachDatabase('backup reports by e-mail (SMTP listener)', (dialect) => {
  let hub: TestHub;
  let listener: EmailReportListener;
  beforeEach(async () => {
    hub = await createTestHub(dialect, { heartbeats: { ...DEFAULT_HEARTBEAT_SETTINGS, smtp } });
    listener = await startEmailReports(hub.ctx, smtp);
  });
  afterEach(async () => {
    await listener.close();
    await hub.close();
  });

  const send = (to: string, subject: string, text: string, from = 'veeam@client.example') =>
    nodemailer
      .createTransport({
        host: '127.0.0.1',
        port: listener.port,
        secure: false,
        ignoreTLS: true,
        connectionTimeout: 5000,
        socketTimeout: 5000,
      })
      .sendMail({ from, to, subject, text });
  const row = (id: string) =>
    hub.ctx.db.kysely.selectFrom('heartbeats').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('turns messages into success, warning and failure by the heartbeat’s rules, and keeps them in its history', async () => {
    const { heartbeat, owner } = await heartbeatScene(hub, {
      email: {
        enabled: true,
        rules: [
          { result: 'warning', subject: 'completed with warnings' },
          { result: 'failure', from: 'veeam@', subject: '[Failed]' },
          { result: 'success', subject: '[Success]', body: 'processed' },
        ],
      },
    });
    const got = await owner.get(`/api/heartbeats/${heartbeat.id}`);
    expect(got.body.email.address).toBe('nightly@reports.example.test');

    await send('nightly@reports.example.test', '[Success] Nightly (3 machines)', 'All 3 machines processed.');
    expect(await row(heartbeat.id)).toMatchObject({ status: 'up', last_result: 'success' });
    await send('Nightly@Reports.Example.Test', 'Backup completed with warnings', 'One file was locked');
    expect(await row(heartbeat.id)).toMatchObject({ status: 'degraded', last_result: 'warning' });
    await send('nightly@reports.example.test', '[Failed] Nightly', 'The repository is full');
    expect(await row(heartbeat.id)).toMatchObject({ status: 'down', last_result: 'failure' });
    await send('nightly@reports.example.test', 'Weekly newsletter', 'nothing to do with backups');
    expect((await row(heartbeat.id)).status).toBe('down');

    const history = await owner.get(`/api/heartbeats/${heartbeat.id}/history`);
    expect(
      history.body.items.map((e: { action: string; emailSubject: string; source: string; method: string }) => [
        e.source,
        e.method,
        e.action,
        e.emailSubject,
      ]),
    ).toEqual([
      ['email', 'SMTP', 'ignore', 'Weekly newsletter'],
      ['email', 'SMTP', 'fail', '[Failed] Nightly'],
      ['email', 'SMTP', 'warning', 'Backup completed with warnings'],
      ['email', 'SMTP', 'success', '[Success] Nightly (3 machines)'],
    ]);
    expect(history.body.items[1]).toMatchObject({
      emailFrom: 'veeam@client.example',
      body: expect.stringContaining('The repository is full'),
    });
    const change = await hub.ctx.db.kysely
      .selectFrom('state_changes')
      .selectAll()
      .where('heartbeat_id', '=', heartbeat.id)
      .where('to_state', '=', 'down')
      .executeTakeFirstOrThrow();
    expect(change).toMatchObject({ subject_type: 'heartbeat', source: 'email' });
    expect(change.reason).toMatch(/\[Failed\] Nightly \(rule 2\)/);
  });

  it('uses the generic preset after the heartbeat’s own rules', async () => {
    const { heartbeat } = await heartbeatScene(hub, {
      email: { enabled: true, localPart: 'acme-nas', preset: 'generic' },
    });
    await send('acme-nas@reports.example.test', 'Backup task Offsite completed with errors', 'see log');
    expect((await row(heartbeat.id)).status).toBe('down');
    await send('acme-nas@reports.example.test', 'Backup task Offsite succeeded', '');
    expect((await row(heartbeat.id)).status).toBe('up');
  });

  it('refuses unknown addresses, other domains and oversized messages, storing nothing', async () => {
    await heartbeatScene(hub, { email: { enabled: true } });
    await expect(send('nobody@reports.example.test', 'x', 'y')).rejects.toThrow(/550/);
    await expect(send('nightly@elsewhere.example', 'x', 'y')).rejects.toThrow(/550/);
    await expect(send('nightly@reports.example.test', 'big', 'z'.repeat(100 * 1024))).rejects.toThrow(/552/);
    expect(await countRows(hub.ctx.db.kysely, 'heartbeat_pings')).toBe(0);
  });

  it('takes a raw SMTP conversation, the way a NAS or a script sends it', async () => {
    const { heartbeat } = await heartbeatScene(hub, { email: { enabled: true, otherwise: 'success' } });
    const lines = [
      'EHLO nas.client.lan',
      'MAIL FROM:<nas@client.example>',
      'RCPT TO:<nightly@reports.example.test>',
      'DATA',
      'Subject: Hyper Backup done\r\nFrom: nas@client.example\r\n\r\nDone.\r\n.',
      'QUIT',
    ];
    const replies = await new Promise<string>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port: listener.port });
      let out = '';
      socket.setTimeout(5000, () => reject(new Error('timeout')));
      socket.on('data', (d) => {
        out += d.toString();
        const next = lines.shift();
        if (next) socket.write(`${next}\r\n`);
      });
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
    });
    expect(replies).toMatch(/250 .*Ok/i);
    expect(await row(heartbeat.id)).toMatchObject({ status: 'up', last_result: 'success' });
  });
});
