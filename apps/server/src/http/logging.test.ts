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
  expect(lines.length).toBeGreaterThan(3);
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  expect(text).not.toContain(password);
  expect(text).not.toContain(cookie.split('=')[1]);
  expect(text).not.toContain(csrf);
  expect(text).not.toContain('ah_notarealtokenbutsecret');
});
