import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUpsd, type Upsd } from '../testing/upsd.js';
import { NutClient, NutConnectionError, NutError, splitWords } from './client.js';
import { NutReader } from './reader.js';
import { freePort } from '../../../checks/src/testing/peers.js';
import type { UpsReading } from '../reading.js';

// Real upsd (NUT 2.8) with the dummy-ups driver on a loopback high port.
let upsd: Upsd;

beforeAll(async () => {
  upsd = await startUpsd();
});

afterAll(async () => {
  await upsd?.stop();
});

const connect = (extra: Partial<Parameters<typeof NutClient.connect>[0]> = {}) =>
  NutClient.connect({ host: '127.0.0.1', port: upsd.port, timeoutMs: 3000, ...extra });

/** Polls until the reading matches: the driver re-reads its file once a second. */
async function until(reader: NutReader, wanted: (r: UpsReading) => boolean): Promise<UpsReading> {
  let last: UpsReading | undefined;
  for (let i = 0; i < 80; i++) {
    last = await reader.read();
    if (wanted(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`reading never matched; last: ${JSON.stringify(last)}`);
}

describe('NUT client against upsd', () => {
  it('lists the UPSes and their variables, and gets one', async () => {
    const client = await connect();
    try {
      expect(await client.listUps()).toEqual([{ name: 'office', description: 'Office UPS' }]);
      const vars = await client.listVars('office');
      expect(vars).toMatchObject({ 'ups.status': 'OL', 'battery.charge': '100', 'driver.name': 'dummy-ups' });
      expect(await client.getVar('office', 'battery.runtime')).toBe('1200');
    } finally {
      client.close();
    }
  });

  it('carries on in clear text when upsd offers no STARTTLS, and fails when TLS is required', async () => {
    const client = await connect({ tls: 'when-offered' });
    expect(client.encrypted).toBe(false);
    client.close();
    await expect(connect({ tls: 'required' })).rejects.toMatchObject({ code: 'FEATURE-NOT-CONFIGURED' });
  });

  it('accepts any PASSWORD and is refused only at LOGIN; a real user may LOGIN', async () => {
    const stranger = await connect({ username: 'nobody', password: 'wrong' });
    await expect(stranger.login('office')).rejects.toMatchObject({ code: 'ACCESS-DENIED' });
    stranger.close();
    const watcher = await connect(upsd.user);
    await watcher.login('office');
    watcher.close();
  });

  it('reports upsd errors by their code', async () => {
    const client = await connect();
    await expect(client.getVar('nope', 'ups.status')).rejects.toMatchObject({ code: 'UNKNOWN-UPS' });
    const err = await client.getVar('office', 'no.such.var').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NutError);
    expect((err as NutError).code).toBe('VAR-NOT-SUPPORTED');
    client.close();
  });

  it('reports a refused connection', async () => {
    const closed = await freePort();
    await expect(NutClient.connect({ host: '127.0.0.1', port: closed, timeoutMs: 2000 })).rejects.toThrow(
      `upsd: connection refused on 127.0.0.1:${closed}`,
    );
  });

  it('follows the UPS OL → OB → OB LB → FSD → OL', async () => {
    const reader = new NutReader({ host: '127.0.0.1', port: upsd.port, ups: 'office', ...upsd.user });
    try {
      expect(await until(reader, (r) => r.power === 'online')).toMatchObject({ state: 'ok', lowBattery: false });
      upsd.setStatus({ status: 'OB DISCHRG', charge: 80, runtime: 900, load: 30 });
      expect(await until(reader, (r) => r.power === 'on-battery')).toMatchObject({
        state: 'ok',
        lowBattery: false,
        chargePercent: 80,
        runtimeSeconds: 900,
        loadPercent: 30,
        message: 'office: on battery, charge 80%, runtime 15 min',
      });
      upsd.setStatus({ status: 'OB LB DISCHRG XFERX', charge: 9, runtime: 120 });
      const low = await until(reader, (r) => r.lowBattery);
      expect(low).toMatchObject({ power: 'on-battery', flags: ['OB', 'LB', 'DISCHRG', 'XFERX'] });
      expect(low.message).toContain('unknown flags XFERX');
      upsd.setStatus({ status: 'FSD OL', charge: 9, runtime: 120 });
      expect(await until(reader, (r) => r.forcedShutdown)).toMatchObject({ power: 'on-battery', lowBattery: true });
      upsd.setStatus({ status: 'OL CHRG', charge: 12, runtime: 200 });
      expect(await until(reader, (r) => r.power === 'online')).toMatchObject({ lowBattery: false, chargePercent: 12 });
    } finally {
      reader.close();
    }
  });

  it('says DATA-STALE when the driver stops updating and DRIVER-NOT-CONNECTED when it is gone, then recovers', async () => {
    const reader = new NutReader({ host: '127.0.0.1', port: upsd.port, ups: 'office' });
    try {
      upsd.freezeDriver();
      expect((await until(reader, (r) => r.state !== 'ok')).state).toBe('stale');
      upsd.thawDriver();
      await until(reader, (r) => r.state === 'ok');
      await upsd.killDriver();
      expect(await until(reader, (r) => r.state === 'driver-not-connected')).toMatchObject({
        power: 'unknown',
        message: 'office: upsd runs but its UPS driver is not connected',
      });
      await upsd.startDriver();
      expect((await until(reader, (r) => r.state === 'ok')).power).toBe('online');
    } finally {
      reader.close();
    }
  });

  it('keeps an idle connection alive past upsd’s idle drop by sending VER', async () => {
    const client = await connect({ keepAliveMs: 200 });
    await client.listUps();
    await new Promise((r) => setTimeout(r, 700));
    expect(client.closed).toBe(false);
    expect(await client.getVar('office', 'ups.status')).toMatch(/^OL/);
    client.close();
  });
  it('reports a lost connection when upsd goes away, and the reader says unreachable (last: stops upsd)', async () => {
    const client = await connect();
    const reader = new NutReader({ host: '127.0.0.1', port: upsd.port, ups: 'office' });
    expect((await reader.read()).state).toBe('ok');
    const lost = new Promise<Error>((resolve) => client.onClose(resolve));
    await upsd.stop();
    expect((await lost).message).toMatch(/connection to upsd at 127\.0\.0\.1:\d+ lost/);
    await expect(client.getVar('office', 'ups.status')).rejects.toBeInstanceOf(NutConnectionError);
    expect(await reader.read()).toMatchObject({ state: 'unreachable', power: 'unknown' });
    reader.close();
  });
});

describe('splitWords', () => {
  it.each([
    ['VAR office ups.status "OB LB"', ['VAR', 'office', 'ups.status', 'OB LB']],
    ['UPS office "A \\"quoted\\" \\\\ desc"', ['UPS', 'office', 'A "quoted" \\ desc']],
    ['VAR office x ""', ['VAR', 'office', 'x', '']],
  ])('%s', (line, words) => expect(splitWords(line)).toEqual(words));
});
