import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentTotp } from '../../domain/auth/totp.js';
import { anonymous, bearer, OWNER, setupOwner, signIn, userWithRole, type TestAgent } from '../../test/agent.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

forEachDatabase('own profile', (dialect) => {
  let hub: TestHub;
  let owner: TestAgent;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
    owner = await setupOwner(hub);
  });
  afterEach(() => hub.close());

  describe('name and password', () => {
    it('shows and renames the signed-in user', async () => {
      const me = await owner.get('/api/me');
      expect(me.body).toMatchObject({ email: OWNER.email, name: OWNER.name, role: 'owner', totpEnabled: false });
      const renamed = await owner.patch('/api/me', { name: '  Olive O.  ' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Olive O.');
      expect((await owner.get('/api/me')).body.name).toBe('Olive O.');
    });

    it('changes the password only with the current one, and signs out other sessions', async () => {
      const phone = await signIn(hub, OWNER.email, OWNER.password);
      const missing = await owner.patch('/api/me', { newPassword: 'a new long password' });
      expect(missing.status).toBe(400);
      expect(missing.body.error.fields.currentPassword).toMatch(/required/);
      const wrong = await owner.patch('/api/me', {
        currentPassword: 'not my password',
        newPassword: 'a new long password',
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.fields.currentPassword).toMatch(/not your current password/);
      expect((await phone.get('/api/me')).status).toBe(200);

      const ok = await owner.patch('/api/me', { currentPassword: OWNER.password, newPassword: 'a new long password' });
      expect(ok.status).toBe(200);
      expect((await owner.get('/api/me')).status).toBe(200);
      expect((await phone.get('/api/me')).status).toBe(401);
      await expect(signIn(hub, OWNER.email, OWNER.password)).rejects.toThrow(/401/);
      await expect(signIn(hub, OWNER.email, 'a new long password')).resolves.toBeDefined();
    });

    it('locks password guessing from a session after repeated failures', async () => {
      for (let i = 0; i < 5; i++)
        await owner.patch('/api/me', { currentPassword: `guess ${i}`, newPassword: 'a new long password' });
      const locked = await owner.patch('/api/me', {
        currentPassword: OWNER.password,
        newPassword: 'a new long password',
      });
      expect(locked.status).toBe(429);
      hub.clock.advance(16 * 60_000);
      expect(
        (await owner.patch('/api/me', { currentPassword: OWNER.password, newPassword: 'a new long password' })).status,
      ).toBe(200);
    });

    it('refuses short passwords and unknown fields', async () => {
      const res = await owner.patch('/api/me', {
        currentPassword: OWNER.password,
        newPassword: 'short',
        role: 'owner',
      });
      expect(res.status).toBe(400);
      expect(res.body.error.fields.newPassword).toMatch(/at least 10/);
    });

    it('has no profile for an API token', async () => {
      const { secret } = (await owner.post('/api/tokens', { name: 'script', role: 'admin' })).body;
      const res = await bearer(hub, secret).get('/api/me');
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/API tokens have no profile/);
      expect((await anonymous(hub).get('/api/me')).status).toBe(401);
    });
  });

  describe('two-factor sign-in', () => {
    it('enrols, then requires a code at sign-in, then turns off with a current code', async () => {
      const setup = await owner.post('/api/me/totp/setup');
      expect(setup.status).toBe(200);
      expect(setup.body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Afterhours:owner%40example\.com\?.*secret=/);
      expect(setup.body.qrSvg).toMatch(/^<svg/);
      const row = await hub.ctx.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', OWNER.email)
        .executeTakeFirstOrThrow();
      expect(row.totp_pending_enc).toBeTruthy();
      expect(row.totp_pending_enc).not.toContain(setup.body.secret);
      expect(hub.ctx.secrets.decrypt(row.totp_pending_enc!)).toBe(setup.body.secret);
      expect((await owner.get('/api/me')).body.totpEnabled).toBe(false);

      const wrong = await owner.post('/api/me/totp/enable', { code: wrongCode(setup.body.secret, hub) });
      expect(wrong.status).toBe(400);
      expect(wrong.body.error.fields.code).toMatch(/not right/);
      const enabled = await owner.post('/api/me/totp/enable', {
        code: currentTotp(setup.body.secret, hub.clock.now()),
      });
      expect(enabled.status).toBe(200);
      expect(enabled.body.totpEnabled).toBe(true);
      const after = await hub.ctx.db.kysely
        .selectFrom('users')
        .selectAll()
        .where('email', '=', OWNER.email)
        .executeTakeFirstOrThrow();
      expect(after).toMatchObject({ totp_enabled: 1, totp_pending_enc: null });
      expect(hub.ctx.secrets.decrypt(after.totp_secret_enc!)).toBe(setup.body.secret);
      expect((await owner.post('/api/me/totp/setup')).status).toBe(409);

      // Sign-in now needs the code.
      const noCode = await anonymous(hub).post('/api/auth/sign-in', { email: OWNER.email, password: OWNER.password });
      expect(noCode.status).toBe(401);
      expect(noCode.body.error.code).toBe('totp_required');
      hub.clock.advance(5 * 60_000);
      await expect(signIn(hub, OWNER.email, OWNER.password, wrongCode(setup.body.secret, hub))).rejects.toThrow(/401/);
      const phone = await signIn(hub, OWNER.email, OWNER.password, currentTotp(setup.body.secret, hub.clock.now()));
      expect((await phone.get('/api/me')).body.totpEnabled).toBe(true);

      // Turning it off needs a current code.
      expect((await phone.post('/api/me/totp/disable', { code: wrongCode(setup.body.secret, hub) })).status).toBe(400);
      const off = await phone.post('/api/me/totp/disable', { code: currentTotp(setup.body.secret, hub.clock.now()) });
      expect(off.status).toBe(200);
      expect(off.body.totpEnabled).toBe(false);
      expect((await phone.post('/api/me/totp/disable', { code: '123456' })).status).toBe(409);
      await expect(signIn(hub, OWNER.email, OWNER.password)).resolves.toBeDefined();
    });

    it("lets an admin reset the two-factor of a user who lost their phone, but not an owner's", async () => {
      const secret = (await owner.post('/api/me/totp/setup')).body.secret;
      expect((await owner.post('/api/me/totp/enable', { code: currentTotp(secret, hub.clock.now()) })).status).toBe(
        200,
      );
      const ownerId = (await owner.get('/api/me')).body.id;

      const admin = await userWithRole(owner, 'admin');
      const refused = await admin.post(`/api/users/${ownerId}/two-factor/reset`);
      expect(refused.status).toBe(403);
      const technician = await userWithRole(owner, 'technician');
      expect((await technician.post(`/api/users/${ownerId}/two-factor/reset`)).status).toBe(403);

      const techId = (await technician.get('/api/me')).body.id;
      const techSecret = (await technician.post('/api/me/totp/setup')).body.secret;
      expect(
        (await technician.post('/api/me/totp/enable', { code: currentTotp(techSecret, hub.clock.now()) })).status,
      ).toBe(200);
      const reset = await admin.post(`/api/users/${techId}/two-factor/reset`);
      expect(reset.status).toBe(200);
      expect(reset.body.totpEnabled).toBe(false);
      expect((await technician.get('/api/me')).status).toBe(401);
      const audit = await hub.ctx.db.kysely
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'user.totp_reset')
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.after_json).not.toContain(techSecret);
    });

    it('refuses to enable without a pending setup, and a code that is not six digits', async () => {
      const none = await owner.post('/api/me/totp/enable', { code: '123456' });
      expect(none.status).toBe(409);
      expect(none.body.error.message).toMatch(/Start two-factor setup first/);
      const bad = await owner.post('/api/me/totp/enable', { code: '12ab' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.fields.code).toMatch(/6-digit/);
    });

    it('does not accept a code from a previous setup after restarting it', async () => {
      const first = (await owner.post('/api/me/totp/setup')).body.secret;
      const second = (await owner.post('/api/me/totp/setup')).body.secret;
      expect(second).not.toBe(first);
      const stale = currentTotp(first, hub.clock.now());
      if (stale !== currentTotp(second, hub.clock.now())) {
        expect((await owner.post('/api/me/totp/enable', { code: stale })).status).toBe(400);
      }
      expect((await owner.post('/api/me/totp/enable', { code: currentTotp(second, hub.clock.now()) })).status).toBe(
        200,
      );
    });
  });
});

/** A six-digit code that is wrong for this secret in the accepted window (now and one step either side). */
function wrongCode(secret: string, hub: TestHub): string {
  const now = hub.clock.now().getTime();
  const valid = new Set([-30_000, 0, 30_000].map((d) => currentTotp(secret, new Date(now + d))));
  let code = 0;
  while (valid.has(String(code).padStart(6, '0'))) code += 1;
  return String(code).padStart(6, '0');
}
