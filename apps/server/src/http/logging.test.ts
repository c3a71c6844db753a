import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type AppContext } from '../context.js';
import { EventBus } from '../events/bus.js';
import { ManualClock } from '../lib/clock.js';
import { SecretBox } from '../lib/secrets.js';
import { createTestDatabase, type TestDatabase } from '../test/harness.js';
import { buildApp, REDACTED_LOG_PATHS } from './app.js';

let database: TestDatabase | undefined;
afterEach(() => database?.drop());

it('logs requests as JSON without passwords, cookies, CSRF tokens or Bearer tokens', async () => {
  database = await createTestDatabase('sqlite');
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = pino({ level: 'info', redact: { paths: REDACTED_LOG_PATHS, censor: '***' } }, sink);
  const ctx: AppContext = {
    db: database.db,
    clock: new ManualClock(),
    bus: new EventBus(),
    secrets: SecretBox.fromKey(randomBytes(32)),
    log,
    settings: DEFAULT_SETTINGS,
  };
  const app = await buildApp(ctx);
  const password = 'correct horse battery staple';
  const setup = await app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: { name: 'O', email: 'o@example.com', password },
  });
  const cookie = String(setup.headers['set-cookie']).split(';')[0]!;
  const csrf = setup.json().csrfToken as string;
  await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie, 'x-csrf-token': csrf } });
  await app.inject({
    method: 'GET',
    url: '/api/auth/session',
    headers: { authorization: 'Bearer ah_notarealtokenbutsecret' },
  });
  await app.close();

  const text = lines.join('');
  expect(lines.length).toBe(3); // one line per request
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  expect(text).not.toContain(password);
  expect(text).not.toContain(cookie.split('=')[1]);
  expect(text).not.toContain(csrf);
  expect(text).not.toContain('ah_notarealtokenbutsecret');
});

async function appLoggingTo(level: string) {
  database = await createTestDatabase('sqlite');
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  const ctx: AppContext = {
    db: database.db,
    clock: new ManualClock(),
    bus: new EventBus(),
    secrets: SecretBox.fromKey(randomBytes(32)),
    log: pino({ level, redact: { paths: REDACTED_LOG_PATHS, censor: '***' } }, sink),
    settings: DEFAULT_SETTINGS,
  };
  return { app: await buildApp(ctx), lines };
}

const QUIET = ['/healthz', '/metrics', '/ping/00000000-0000-4000-8000-000000000000', '/ping/somekey/nightly/fail'];
const LOUD = ['/api/auth/session', '/api/openapi.json', '/api/no-such-route'];

it('writes one line per completed request at info; pings, /healthz and /metrics only at debug', async () => {
  const { app, lines } = await appLoggingTo('info');
  for (const url of [...QUIET, ...LOUD]) await app.inject({ method: 'GET', url });
  await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email: 'a@b.c', password: 'wrong one' } });
  await app.close();
  const requests = lines.filter((l) => typeof l.url === 'string' || (l.req as { url?: string })?.url);
  expect(requests.map((l) => [l.method, l.url, l.statusCode])).toEqual([
    ['GET', '/api/auth/session', 401],
    ['GET', '/api/openapi.json', 200],
    ['GET', '/api/no-such-route', 401], // unknown API paths ask for sign-in first
    ['POST', '/api/auth/sign-in', 401],
  ]);
  for (const line of requests) {
    expect(line.msg).toBe('request completed');
    expect(typeof line.responseTime).toBe('number');
  }
  expect(JSON.stringify(lines)).not.toMatch(/healthz|metrics|\/ping\//);
});

it('logs pings, /healthz and /metrics at debug', async () => {
  const { app, lines } = await appLoggingTo('debug');
  for (const url of QUIET) await app.inject({ method: 'GET', url });
  await app.close();
  const requests = lines.filter((l) => l.msg === 'request completed');
  expect(requests.map((l) => [l.url, l.level])).toEqual(QUIET.map((url) => [url, 20]));
});
