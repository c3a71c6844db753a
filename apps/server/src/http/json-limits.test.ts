import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupOwner, type TestAgent } from '../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body.js';
import { findNul } from './reject-nul.js';

/** `{"name":[[[…"x"…]]]}` nested `depth` deep: a few bytes per level. */
const nested = (depth: number) => `{"name":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;

const ROUTES = [
  { url: '/api/setup', auth: false },
  { url: '/api/auth/sign-in', auth: false },
  { url: '/api/agent/enrol', auth: false },
  { url: '/api/clients', auth: true },
];

forEachDatabase('deeply nested JSON bodies', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  let cookie: Record<string, string>;
  beforeAll(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
    const auth = (owner as unknown as { auth: { cookie: string; csrf: string } }).auth;
    cookie = { cookie: auth.cookie, 'x-csrf-token': auth.csrf };
  });
  afterAll(() => hub.close());

  for (const depth of [100, 4_000, 200_000]) {
    it(`answers 400 json_too_deep at depth ${depth}, on public and private routes`, async () => {
      for (const route of ROUTES) {
        const res = await hub.app.inject({
          method: 'POST',
          url: route.url,
          headers: { 'content-type': 'application/json', ...(route.auth ? cookie : {}) },
          payload: nested(depth),
        });
        expect(res.statusCode, `${route.url} at ${depth}: ${res.body}`).toBe(400);
        expect(res.json().error.code).toBe('json_too_deep');
        expect(res.json().error.message).toContain(String(MAX_JSON_DEPTH));
      }
    });
  }

  it('still takes JSON as deep as the limit allows, and NUL deep inside is refused by name', async () => {
    const withNul = { name: 'ok', notes: 'fine', contract: { supportHours: { kind: 'always' } } };
    const res = await owner.post('/api/clients', { ...withNul, notes: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toHaveProperty('notes');
    const deepButAllowed = await hub.app.inject({
      method: 'POST',
      url: '/api/clients',
      headers: { 'content-type': 'application/json', ...cookie },
      payload: nested(MAX_JSON_DEPTH - 1),
    });
    expect(deepButAllowed.statusCode).toBe(400);
    expect(deepButAllowed.json().error.code).toBe('invalid_input'); // refused by the schema, not the depth bound
  });

  it('measures the cost of one refused 200,000-deep request (printed, not asserted)', async () => {
    const body = nested(200_000);
    const start = process.cpuUsage();
    const rounds = 5;
    for (let i = 0; i < rounds; i += 1) {
      await hub.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        headers: { 'content-type': 'application/json' },
        payload: body,
      });
    }
    const used = process.cpuUsage(start);
    console.log(
      `[${dialect}] CPU per refused 400 KB nested request: ${((used.user + used.system) / rounds / 1000).toFixed(2)} ms`,
    );
  });
});

it('finds a NUL 200,000 levels down without recursing, and names its path', () => {
  let value: unknown = 'a\u0000b';
  for (let i = 0; i < 200_000; i += 1) value = i === 0 ? { note: value } : [value];
  const path = findNul({ list: value });
  expect(path?.startsWith('list.0.0.0')).toBe(true);
  expect(path?.endsWith('.0.note')).toBe(true);
  expect(findNul({ a: [1, 'x', { b: null }] })).toBeNull();
});

it('counts depth on the raw text, ignoring brackets inside strings', () => {
  expect(jsonDepthExceeds('{"a":"[[[[[[[[[[[[[["}', 3)).toBe(false);
  expect(jsonDepthExceeds('{"a":"\\"[[[[","b":[[1]]}', 3)).toBe(false);
  expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
});
