import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';
import { createShareLink, listShareLinks, resolveShareLink, revokeShareLink } from './links.js';

const SUBJECT = '00000000-0000-4000-8000-0000000000aa';

forEachDatabase('share links', (dialect) => {
  let hub: TestHub;
  beforeEach(async () => {
    hub = await createTestHub(dialect);
  });
  afterEach(() => hub.close());

  it('opens its subject by the secret, keeps only a hash, and stops working when revoked', async () => {
    const db = hub.ctx.db.kysely;
    const now = '2026-12-06T09:00:00.000Z';
    const made = await createShareLink(db, {
      subjectType: 'incident_report',
      subjectId: SUBJECT,
      actorUserId: null,
      now,
      expiresInDays: null,
    });
    expect(made.path).toBe(`/shared/incident-report/${made.token}`);
    expect(made.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await db.selectFrom('share_links').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(made.token);

    expect(await resolveShareLink(db, made.token, 'incident_report', now)).toEqual({
      id: made.link.id,
      subjectId: SUBJECT,
    });
    expect(await resolveShareLink(db, made.token, 'checklist_report', now)).toBeNull();
    expect(await resolveShareLink(db, `${made.token.slice(0, -1)}x`, 'incident_report', now)).toBeNull();
    expect((await listShareLinks(db, 'incident_report', SUBJECT))[0]?.lastOpenedAt).toBe(now);

    await revokeShareLink(db, { id: made.link.id, actorUserId: null, now });
    expect(await resolveShareLink(db, made.token, 'incident_report', now)).toBeNull();
    expect((await listShareLinks(db, 'incident_report', SUBJECT))[0]?.revokedAt).toBe(now);
  });
});
