import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

/**
 * Every route the hub registers, collected as Fastify registers them, so a route added later by
 * anyone is checked here without editing this file: each must refuse a caller who is not signed in.
 */
const registered = vi.hoisted(() => [] as { method: string; url: string; markedPublic: boolean }[]);

vi.mock('fastify', async (importOriginal) => {
  const actual = await importOriginal<typeof import('fastify')>();
  const create = ((options?: object) => {
    const app = actual.default(options as never);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat())
        registered.push({ method: String(method), url: route.url, markedPublic: route.config?.public === true });
    });
    return app;
  }) as unknown as typeof actual.default;
  return { ...actual, default: create, fastify: create };
});

/** Reachable without signing in, each for a reason. Add to this list only with the reason. */
const PUBLIC: { method: string; url: RegExp; why: string }[] = [
  { method: '*', url: /^\/healthz$/, why: 'load balancers and uptime checks' },
  { method: '*', url: /^\/metrics$/, why: 'Prometheus scrapes it' },
  { method: '*', url: /^\/api\/openapi\.json$/, why: 'the API description' },
  { method: '*', url: /^\/api\/docs(\/.*)?$/, why: 'the API documentation pages' },
  { method: '*', url: /^\/api\/setup$/, why: 'first-run setup (refused once a user exists)' },
  { method: 'POST', url: /^\/api\/auth\/sign-in$/, why: 'signing in' },
  { method: '*', url: /^\/(\*)?$/, why: 'the web app and its files' },
  {
    method: 'POST',
    url: /^\/api\/agent\/enrol$/,
    why: 'a site agent exchanges its one-time enrolment code for its token (rate limited; wrong codes get 401)',
  },
  {
    method: '*',
    url: /^\/ping\/\*$/,
    why: 'heartbeat pings from backup jobs and scripts (healthchecks.io-compatible): the UUID or ping key and slug in the URL is the credential; rate limited per source and per heartbeat',
  },
  {
    method: '*',
    url: /^\/api\/agent\/connect$/,
    why: 'the site agents’ WebSocket: no user signs in, the upgrade is refused without a current agent token; plain HTTP gets 426',
  },
  {
    method: '*',
    url: /^\/agent\/(version|install\.sh|:file)?$|^\/docs\/agent$/,
    why: 'an office PC downloads the agent, its checksums, install script and guide before it has any credential; nothing secret is in them',
  },
  {
    method: '*',
    url: /^\/api\/public\/(incident|checklist)-reports\/:token$/,
    why: 'a report shared with someone without an account: the 256-bit secret in the link is the credential (only its hash is stored); revoked links answer 404',
  },
  {
    method: '*',
    url: /^\/l\/(ack|open)$/,
    why: 'links in notifications: the signed, expiring token in the link is the credential; acknowledging takes a POST from the confirm page',
  },
  {
    method: 'POST',
    url: /^\/api\/notify\/twilio\/(sms|voice\/:id|status\/:id)$/,
    why: 'the SMS/voice provider’s callbacks: refused (403) unless the provider’s signature over the hub’s public URL is valid',
  },
  {
    method: '*',
    url: /^\/ical\/:file$/,
    why: 'calendar apps fetch on-call feeds without signing in: the secret, rotatable name in the URL is the credential',
  },
];

const isPublic = (route: { method: string; url: string }) =>
  PUBLIC.some((p) => (p.method === '*' || p.method === route.method) && p.url.test(route.url));

/** A concrete URL for a route pattern: ids for parameters, something for wildcards. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z0-9_]+/g, '00000000-0000-4000-8000-000000000000').replace(/\*/g, 'x');
}

forEachDatabase('every route needs a signed-in caller', (dialect) => {
  let hub: TestHub;
  beforeAll(async () => {
    registered.length = 0;
    hub = await createTestHub(dialect);
  });
  afterAll(() => hub.close());

  it('collected the routes of the whole app', () => {
    const urls = new Set(registered.map((r) => r.url));
    for (const url of ['/api/auth/session', '/api/users', '/api/tokens/:id', '/api/audit', '/api/me', '/healthz'])
      expect(urls).toContain(url);
  });

  it('answers 401 to an anonymous caller and to an unknown token, on every route that is not public', async () => {
    const guarded = registered.filter((r) => !isPublic(r));
    expect(guarded.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const route of guarded) {
      for (const headers of [{}, { authorization: 'Bearer ah_not-a-real-token' }, { cookie: 'ah_session=forged' }]) {
        const res = await hub.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        if (res.statusCode !== 401)
          failures.push(`${route.method} ${route.url} with ${JSON.stringify(headers)}: ${res.statusCode}`);
        else if (route.method !== 'HEAD') expect(res.json().error.code).toBe('unauthenticated');
      }
    }
    expect(failures).toEqual([]);
  });

  it('marks no route public outside the list above', () => {
    // A handler may still refuse a public route itself; this catches the mark before it is relied on.
    expect(registered.filter((r) => r.markedPublic && !isPublic(r)).map((r) => `${r.method} ${r.url}`)).toEqual([]);
  });

  it('keeps the public routes public', async () => {
    const open = registered.filter(
      (r) => isPublic(r) && ['GET', 'POST'].includes(r.method) && !r.url.includes('*') && !r.url.includes(':'),
    );
    expect(open.map((r) => `${r.method} ${r.url}`)).toEqual(
      expect.arrayContaining(['GET /healthz', 'POST /api/auth/sign-in', 'GET /api/setup']),
    );
    for (const route of open) {
      const res = await hub.app.inject({
        method: route.method as 'GET',
        url: route.url,
        ...(route.method === 'POST' ? { payload: {} } : {}),
      });
      expect(res.statusCode, `${route.method} ${route.url}`).not.toBe(401);
    }
  });
});
