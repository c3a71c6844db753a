import ICAL from 'ical.js';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { anonymous, signIn, type TestAgent } from '../../test/agent.js';
import { insertUser, TEST_PASSWORD } from '../../test/factories.js';
import { createTestHub, forEachDatabase, type TestHub } from '../../test/harness.js';

/** Parse a feed with ical.js, registering its VTIMEZONEs, and list its events as UTC instants. */
function parseFeed(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  for (const tz of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const events = calendar.getAllSubcomponents('vevent').map((c) => new ICAL.Event(c));
  return {
    calendar,
    events: events.map((e) => ({
      summary: e.summary,
      tzid: e.startDate.zone?.tzid,
      start: e.startDate.toJSDate().toISOString(),
      end: e.endDate.toJSDate().toISOString(),
    })),
  };
}

forEachDatabase('on-call iCal feeds', (dialect) => {
  let hub: TestHub;
  let admin: TestAgent;
  let tech: TestAgent;
  let ids: { a: string; b: string };

  beforeEach(async () => {
    hub = await createTestHub(dialect);
    hub.clock.set('2026-03-25T12:00:00.000Z');
    const db = hub.ctx.db.kysely;
    const adminUser = await insertUser(db, 'admin');
    const a = await insertUser(db, 'technician', null, { name: 'Alice' });
    const b = await insertUser(db, 'technician', null, { name: 'Bob' });
    ids = { a: a.id, b: b.id };
    admin = await signIn(hub, adminUser.email, TEST_PASSWORD);
    tech = await signIn(hub, a.email, TEST_PASSWORD);
  });
  afterEach(() => {
    ICAL.TimezoneService.reset();
    return hub.close();
  });

  it('serves a schedule feed with its time zone, right on both sides of the clock change', async () => {
    const schedule = (await admin.post('/api/schedules', { name: 'London nights', timeZone: 'Europe/London' })).body;
    await admin.post(`/api/schedules/${schedule.id}/layers`, {
      name: 'Weekly',
      participantIds: [ids.a, ids.b],
      rotation: 'weekly',
      handoffTime: '09:00',
      startDate: '2026-03-23',
    });
    const made = await admin.post(`/api/schedules/${schedule.id}/ical`);
    expect(made.status).toBe(200);
    const url = new URL(made.body.url);
    expect(url.pathname).toMatch(/^\/ical\/ahs_[A-Za-z0-9_-]+\.ics$/);
    // Only a hash is kept.
    const row = await hub.ctx.db.kysely.selectFrom('schedules').select('ical_secret_hash').executeTakeFirstOrThrow();
    expect(made.body.url).not.toContain(row.ical_secret_hash);
    expect((await admin.get(`/api/schedules/${schedule.id}`)).body.icalFeed).toBe(true);

    const feed = await anonymous(hub).get(url.pathname);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    expect(feed.body).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/London');
    expect(feed.body).toContain('DTSTART;TZID=Europe/London:20260330T090000');
    const { calendar, events } = parseFeed(feed.body);
    expect(calendar.getFirstPropertyValue('prodid')).toContain('Afterhours');
    // Alice from Mon 23 March 09:00 GMT; Bob from Mon 30 March 09:00 BST (08:00 UTC): 167 hours later.
    expect(events.slice(0, 3)).toEqual([
      {
        summary: 'On call: Alice',
        tzid: 'Europe/London',
        start: '2026-03-23T09:00:00.000Z',
        end: '2026-03-30T08:00:00.000Z',
      },
      {
        summary: 'On call: Bob',
        tzid: 'Europe/London',
        start: '2026-03-30T08:00:00.000Z',
        end: '2026-04-06T08:00:00.000Z',
      },
      {
        summary: 'On call: Alice',
        tzid: 'Europe/London',
        start: '2026-04-06T08:00:00.000Z',
        end: '2026-04-13T08:00:00.000Z',
      },
    ]);

    // A new URL ends the old one.
    const again = await admin.post(`/api/schedules/${schedule.id}/ical`);
    expect((await anonymous(hub).get(url.pathname)).status).toBe(404);
    expect((await anonymous(hub).get(new URL(again.body.url).pathname)).status).toBe(200);
    expect((await anonymous(hub).get('/ical/ahs_guessed.ics')).status).toBe(404);
  });

  it("serves a person's own shifts across schedules in New York time", async () => {
    const ny = (await admin.post('/api/schedules', { name: 'New York', timeZone: 'America/New_York' })).body;
    await admin.post(`/api/schedules/${ny.id}/layers`, {
      name: 'Daily',
      participantIds: [ids.b],
      rotation: 'daily',
      handoffTime: '08:00',
      startDate: '2026-03-01',
    });
    await tech.post(`/api/schedules/${ny.id}/overrides`, {
      start: '2026-03-28T12:00:00Z',
      end: '2026-03-28T18:00:00Z',
    });
    const made = await tech.post('/api/oncall/my-ical');
    expect(made.status).toBe(200);
    const feed = await anonymous(hub).get(new URL(made.body.url).pathname);
    const { events } = parseFeed(feed.body);
    expect(events).toEqual([
      {
        summary: 'On call: New York',
        tzid: 'America/New_York',
        start: '2026-03-28T12:00:00.000Z',
        end: '2026-03-28T18:00:00.000Z',
      },
    ]);
    expect(feed.body).toContain('DTSTART;TZID=America/New_York:20260328T080000');
    const audit = await hub.ctx.db.kysely
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', '%ical%')
      .execute();
    expect(audit.map((r) => r.action)).toEqual(['user.ical.rotate']);
  });
});
