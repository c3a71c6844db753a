import { afterEach, beforeEach, expect, it } from 'vitest';
import { newId } from '../../lib/ids.js';
import { createTestDatabase, forEachDatabase, type TestDatabase } from '../../test/harness.js';
import { insertUser } from '../../test/factories.js';
import { insertLayer, insertOverride, insertSchedule } from '../../test/oncall.js';
import { onCallAt, teamMembers } from './who.js';

forEachDatabase('who is on call', (dialect) => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase(dialect);
  });
  afterEach(async () => t.drop());

  it('answers the rotation, an override over it, and a gap', async () => {
    const db = t.db.kysely;
    const [a, b, c] = [
      await insertUser(db, 'technician'),
      await insertUser(db, 'technician'),
      await insertUser(db, 'admin'),
    ];
    const schedule = await insertSchedule(db, { time_zone: 'America/New_York' });
    await insertLayer(db, schedule, [a.id, b.id], { handoff_time: '02:00', start_date: '2026-03-07' });
    await insertOverride(db, schedule, c.id, '2026-03-09T12:00:00.000Z', '2026-03-09T14:00:00.000Z');

    expect(await onCallAt(db, schedule.id, new Date('2026-03-07T06:59:59.999Z'))).toEqual([]);
    expect(await onCallAt(db, schedule.id, new Date('2026-03-08T06:59:59.999Z'))).toEqual([a.id]);
    // 02:00 EST does not exist that night: the hand-off happens at 03:00 EDT, 07:00 UTC.
    expect(await onCallAt(db, schedule.id, new Date('2026-03-08T07:00:00.000Z'))).toEqual([b.id]);
    expect(await onCallAt(db, schedule.id, new Date('2026-03-09T13:00:00.000Z'))).toEqual([c.id]);
    expect(await onCallAt(db, schedule.id, new Date('2026-03-09T14:00:00.000Z'))).toEqual([a.id]);
    expect(await onCallAt(db, newId(), new Date('2026-03-09T14:00:00.000Z'))).toEqual([]);
  });

  it('passes over a disabled account: its shift falls to the layer below, or is a gap', async () => {
    const db = t.db.kysely;
    const [a, w] = [await insertUser(db, 'technician'), await insertUser(db, 'technician')];
    const schedule = await insertSchedule(db);
    await insertLayer(db, schedule, [a.id], { position: 0 });
    await insertLayer(db, schedule, [w.id], {
      position: 1,
      restrictions_json: JSON.stringify([{ days: [6, 0], from: '00:00', to: '00:00' }]),
    });
    const saturday = new Date('2026-11-07T12:00:00.000Z');
    expect(await onCallAt(db, schedule.id, saturday)).toEqual([w.id]);
    await db.updateTable('users').set({ disabled: 1 }).where('id', '=', w.id).execute();
    expect(await onCallAt(db, schedule.id, saturday)).toEqual([a.id]);
    await db.updateTable('users').set({ disabled: 1 }).where('id', '=', a.id).execute();
    expect(await onCallAt(db, schedule.id, saturday)).toEqual([]);
  });

  it('lists a team in its order without disabled accounts', async () => {
    const db = t.db.kysely;
    const [a, b, c] = [
      await insertUser(db, 'technician'),
      await insertUser(db, 'technician', null, { disabled: 1 }),
      await insertUser(db, 'admin'),
    ];
    const now = '2026-11-20T17:00:00.000Z';
    const team = { id: newId(), name: 'Night', name_lower: 'night', created_at: now, updated_at: now };
    await db.insertInto('teams').values(team).execute();
    await db
      .insertInto('team_members')
      .values([
        { team_id: team.id, user_id: c.id, position: 0 },
        { team_id: team.id, user_id: b.id, position: 1 },
        { team_id: team.id, user_id: a.id, position: 2 },
      ])
      .execute();
    expect(await teamMembers(db, team.id)).toEqual([c.id, a.id]);
    expect(await teamMembers(db, newId())).toEqual([]);
  });
});
