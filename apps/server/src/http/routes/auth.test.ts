import { afterEach, beforeEach, expect, it } from 'vitest';
import { anonymous, OWNER, setupOwner, signIn } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('first-run setup and sign-in', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  it('creates the owner once, then refuses a second setup', async () => {
    expect((await anonymous(hub).get('/api/setup')).body).toEqual({ setupNeeded: true });
    const owner = await setupOwner(hub);
    const session = await owner.get('/api/auth/session');
    expect(session.status).toBe(200);
    expect(session.body.user).toMatchObject({ email: OWNER.email, role: 'owner' });
    expect((await anonymous(hub).get('/api/setup')).body).toEqual({ setupNeeded: false });
    const again = await anonymous(hub).post('/api/setup', OWNER);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
  });

  it('names each bad field at setup', async () => {
    const res = await anonymous(hub).post('/api/setup', { name: '', email: 'nope', password: 'short' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['email', 'name', 'password']);
    expect((await anonymous(hub).get('/api/setup')).body.setupNeeded).toBe(true);
  });

  it('signs in with the right password, with the e-mail in any case', async () => {
    await setupOwner(hub);
    const agent = await signIn(hub, OWNER.email.toUpperCase(), OWNER.password);
    expect((await agent.get('/api/auth/session')).body.user.email).toBe(OWNER.email);
  });

  it('gives the same answer for a wrong password and an unknown account', async () => {
    await setupOwner(hub);
    const wrong = await anonymous(hub).post('/api/auth/sign-in', { email: OWNER.email, password: 'wrong password!' });
    const unknown = await anonymous(hub).post('/api/auth/sign-in', {
      email: 'nobody@example.com',
      password: 'wrong password!',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('delays sign-in from a source after repeated failures without revealing whether the account exists', async () => {
    await setupOwner(hub);
    for (const email of [OWNER.email, 'ghost@example.com']) {
      for (let i = 0; i < 5; i++)
        await anonymous(hub).post('/api/auth/sign-in', { email, password: 'wrong password!' });
    }
    const real = await anonymous(hub).post('/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
    const ghost = await anonymous(hub).post('/api/auth/sign-in', {
      email: 'ghost@example.com',
      password: OWNER.password,
    });
    expect(real.status).toBe(429);
    expect(ghost.status).toBe(429);
    expect(real.body).toEqual(ghost.body);
    expect(real.body.error.message).toMatch(/Try again in 1 minute\./); // the first of growing delays
    hub.clock.advance(16 * 60_000);
    await expect(signIn(hub, OWNER.email, OWNER.password)).resolves.toBeDefined();
  });

  it('requires the CSRF token for writes made with a session cookie', async () => {
    const owner = await setupOwner(hub);
    const cookie = (owner as unknown as { auth: { cookie: string } }).auth.cookie;
    const res = await hub.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf_failed');
    expect((await owner.get('/api/auth/session')).status).toBe(200);
  });

  it('ends the session at sign-out', async () => {
    const owner = await setupOwner(hub);
    expect((await owner.post('/api/auth/sign-out')).status).toBe(200);
    expect((await owner.get('/api/auth/session')).status).toBe(401);
  });

  it('expires sessions', async () => {
    const owner = await setupOwner(hub);
    hub.clock.advance(31 * 24 * 3600_000);
    expect((await owner.get('/api/auth/session')).status).toBe(401);
  });
});

forEachDatabase('health', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  it('answers 200 while the database answers and 503 once it is gone', async () => {
    expect((await anonymous(hub).get('/healthz')).status).toBe(200);
    await hub.ctx.db.close();
    const res = await anonymous(hub).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.databaseUp).toBe(false);
  });

  it('serves metrics and the OpenAPI document without signing in', async () => {
    const metrics = await anonymous(hub).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('afterhours_http_requests_total');
    const openapi = await anonymous(hub).get('/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(openapi.body.paths['/api/auth/sign-in']).toBeDefined();
  });
});

forEachDatabase('text the database cannot store', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  it('refuses a NUL character in any field with a 400 naming it, on every route', async () => {
    const owner = await setupOwner(hub);
    const token = await owner.post('/api/tokens', { name: 'ci\u0000bot', role: 'technician' });
    expect(token.status).toBe(400);
    expect(token.body.error.fields).toEqual({ name: 'may not contain NUL characters' });
    const user = await owner.post('/api/users', {
      email: 'a@example.com',
      name: 'A\u0000',
      role: 'admin',
      password: 'a long enough password',
    });
    expect(user.status).toBe(400);
    expect((await owner.get('/api/tokens')).body.items).toHaveLength(0);
  });
});
