import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupOwner } from '../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../test/harness.js';

/**
 * Bad input for every route and method in /api/openapi.json, as the owner and as nobody: wrong types,
 * missing fields, huge strings, NUL, nested junk, in bodies, parameters and queries. Whatever the
 * answer, it must not be a 5xx. Streams and upgrades (live events, the agent socket) are left out.
 */
const SKIP = [/^\/api\/events/, /^\/api\/agent\/connect$/, /^\/ping\//, /\/stream$/];
const HUGE = 'x'.repeat(200_000);
const ID = '00000000-0000-4000-8000-000000000000';

interface Operation {
  method: string;
  path: string;
  schema: { properties?: Record<string, { type?: string }>; required?: string[] } | undefined;
  query: string[];
}

function operations(openapi: { paths: Record<string, Record<string, any>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(openapi.paths)) {
    if (SKIP.some((re) => re.test(path))) continue;
    for (const [method, op] of Object.entries(methods)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        schema: op.requestBody?.content?.['application/json']?.schema,
        query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name),
      });
    }
  }
  return ops;
}

function wrongType(type: string | undefined): unknown[] {
  if (type === 'string') return [42, true, [], {}, HUGE, 'a\u0000b', null];
  if (type === 'integer' || type === 'number') return ['1', -1e308, 1.5, 2 ** 60, null, NaN];
  if (type === 'boolean') return ['true', 1, null];
  if (type === 'array') return ['x', [null, 1, {}], Array.from({ length: 2000 }, () => HUGE.slice(0, 10)), {}];
  if (type === 'object') return ['x', [], { junk: [[[[{}]]]] }];
  return [null, 'x', 1, [], {}];
}

function bodies(op: Operation): unknown[] {
  const out: unknown[] = [
    undefined,
    null,
    'x',
    [],
    42,
    {},
    { junk: { a: [[[['deep']]]] } },
    { s: HUGE },
    { s: 'a\u0000b' },
  ];
  const props = op.schema?.properties ?? {};
  const valid = Object.fromEntries(Object.keys(props).map((k) => [k, 'x']));
  for (const [name, prop] of Object.entries(props)) {
    for (const bad of wrongType(prop.type)) out.push({ ...valid, [name]: bad });
  }
  return out;
}

function urls(op: Operation): string[] {
  const withIds = op.path.replace(/\{[^}]+\}/g, ID);
  const out = [withIds, op.path.replace(/\{[^}]+\}/g, 'not-an-id'), op.path.replace(/\{[^}]+\}/g, '%00')];
  for (const q of op.query) {
    for (const v of ['abc', '-1', '99999999999999999999', '%00', HUGE.slice(0, 5000), '[]'])
      out.push(`${withIds}?${q}=${v}`);
  }
  out.push(`${withIds}?unknown=1&unknown=2`);
  return out;
}

forEachDatabase('bad input on every route', (dialect) => {
  let hub: TestHub;
  let ownerHeaders: Record<string, string>;
  beforeAll(async () => {
    hub = await createTestHub(dialect);
    const owner = await setupOwner(hub);
    const auth = (owner as unknown as { auth: { cookie: string; csrf: string } }).auth;
    ownerHeaders = { cookie: auth.cookie, 'x-csrf-token': auth.csrf };
  });
  afterAll(() => hub.close());

  it('answers no 5xx, as the owner or as nobody', async () => {
    const openapi = (await hub.app.inject({ url: '/api/openapi.json' })).json();
    const ops = operations(openapi);
    expect(ops.length).toBeGreaterThan(40);
    const failures: string[] = [];
    let sent = 0;
    for (const op of ops) {
      for (const headers of [ownerHeaders, {}]) {
        const tries: { url: string; body?: unknown }[] = [
          ...urls(op).map((url) => ({ url })),
          ...(op.method === 'GET' || op.method === 'DELETE'
            ? []
            : bodies(op).map((body) => ({ url: urls(op)[0]!, body }))),
        ];
        for (const attempt of tries) {
          const res = await hub.app.inject({
            method: op.method as 'GET',
            url: attempt.url,
            headers: { ...headers, ...(attempt.body !== undefined ? { 'content-type': 'application/json' } : {}) },
            ...(attempt.body !== undefined ? { payload: JSON.stringify(attempt.body) } : {}),
          });
          sent += 1;
          if (res.statusCode >= 500)
            failures.push(
              `${res.statusCode} ${op.method} ${attempt.url.slice(0, 120)} ${JSON.stringify(attempt.body)?.slice(0, 120)} → ${res.body.slice(0, 200)}`,
            );
        }
      }
    }
    console.log(
      `[${dialect}] bad-input sweep: ${sent} requests over ${ops.length} operations, ${failures.length} answered 5xx`,
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
