import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../test/harness.js';
import { buildApp } from './app.js';
import { DEFAULT_SETTINGS } from '../context.js';
import { EventBus } from '../events/bus.js';
import { ManualClock } from '../lib/clock.js';
import { SecretBox } from '../lib/secrets.js';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import type { ZodApp } from './zod-app.js';

let root: string;
let database: TestDatabase;
let app: ZodApp;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'afterhours-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Afterhours</title>');
  writeFileSync(join(root, 'shared.html'), '<!doctype html><title>Report · Afterhours</title>');
  writeFileSync(join(root, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(root, 'manifest.webmanifest'), '{"name":"Afterhours"}');
  writeFileSync(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  // As the web build writes them: a compressed copy beside the file (marked, to tell it from compression on the fly).
  const big = `console.log(${JSON.stringify('x'.repeat(5000))})`;
  writeFileSync(join(root, 'assets', 'big-def456.js'), big);
  writeFileSync(join(root, 'assets', 'big-def456.js.br'), brotliCompressSync(`${big}//precompressed`));
  writeFileSync(join(root, 'assets', 'big-def456.js.gz'), gzipSync(`${big}//precompressed`));
  database = await createTestDatabase('sqlite');
  app = await buildApp(
    {
      db: database.db,
      clock: new ManualClock(),
      bus: new EventBus(),
      secrets: SecretBox.fromKey(randomBytes(32)),
      log: pino({ level: 'silent' }),
      settings: DEFAULT_SETTINGS,
    },
    { webRoot: root },
  );
});
afterAll(async () => {
  await app.close();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

it('serves the app shell to anyone, never cached, so a new release reaches phones', async () => {
  for (const url of ['/', '/clients/123', '/settings']) {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Afterhours</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
  }
  const sw = await app.inject({ url: '/sw.js' });
  expect(sw.statusCode).toBe(200);
  expect(sw.headers['cache-control']).toBe('no-cache');
  expect((await app.inject({ url: '/manifest.webmanifest' })).statusCode).toBe(200);
});

it('opens a shared report link on the report’s own page, not the app, and passes its secret to no one', async () => {
  for (const url of ['/shared/incident-report/abc_DEF-123', '/shared/checklist-report/xyz']) {
    const res = await app.inject({ url });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Report · Afterhours</title>');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  }
  expect((await app.inject({ url: '/shared-things' })).body).toContain('<title>Afterhours</title>');
});

it('caches hashed assets for a year', async () => {
  const res = await app.inject({ url: '/assets/index-abc123.js' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
});

it('sends the precompressed copy the build wrote to a browser that takes it, and the plain file to one that does not', async () => {
  const br = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'br, gzip' } });
  expect(br.statusCode).toBe(200);
  expect(br.headers['content-encoding']).toBe('br');
  expect(br.headers['content-type']).toMatch(/javascript/);
  expect(br.headers['vary']).toMatch(/accept-encoding/i);
  expect(brotliDecompressSync(br.rawPayload).toString()).toMatch(/x+"\)\/\/precompressed$/);
  const gz = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'gzip' } });
  expect(gz.headers['content-encoding']).toBe('gzip');
  expect(gunzipSync(gz.rawPayload).toString()).toMatch(/\/\/precompressed$/);
  const plain = await app.inject({ url: '/assets/big-def456.js', headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(plain.body).toContain('xxxx');
});

it('answers unknown API paths with a JSON 404, not the app shell, and keeps files outside the root out', async () => {
  const api = await app.inject({ url: '/api/no-such-thing' });
  expect(api.statusCode).toBe(404);
  expect(api.json().error.code).toBe('not_found');
  const traversal = await app.inject({ url: '/..%2f..%2fetc%2fpasswd' });
  expect(traversal.body).not.toContain('root:');
});

it('compresses the app and API answers for phones on a weak signal', async () => {
  const big = 'x'.repeat(5000);
  writeFileSync(join(root, 'assets', 'big-abc.js'), `console.log("${big}")`);
  const res = await app.inject({ url: '/assets/big-abc.js', headers: { 'accept-encoding': 'br, gzip' } });
  expect(res.statusCode).toBe(200);
  expect(['br', 'gzip']).toContain(res.headers['content-encoding']);
  expect(res.rawPayload.length).toBeLessThan(1000);
  const openapi = await app.inject({ url: '/api/openapi.json', headers: { 'accept-encoding': 'gzip' } });
  expect(openapi.headers['content-encoding']).toBe('gzip');
});
