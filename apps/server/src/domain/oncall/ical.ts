import { finalShifts, type Shift, wallTime } from '@afterhours/shared';
import ical, { type ICalCalendar } from 'ical-generator';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { notFound } from '../../http/errors.js';
import { hashToken, newToken } from '../../lib/secrets.js';
import type { Actor } from '../auth/actor.js';
import { change } from '../change.js';
import { loadSchedule, overrideDefs } from './model.js';
import { peopleById } from './people.js';
import { assertCanEditOnCall, assertCanSeeOnCall } from './policy.js';
import { findSchedule } from './schedules.js';
import { vtimezone } from './vtimezone.js';

/**
 * iCal feeds behind secret URLs: one per schedule (everyone's shifts) and one per person (their own
 * shifts in every schedule). The hub keeps only a hash of each secret; making a new URL (rotating)
 * ends the old one. The prefix tells which kind a secret is.
 */
const SCHEDULE_PREFIX = 'ahs_';
const PERSON_PREFIX = 'ahp_';
const DAY = 86_400_000;
/** A feed shows the last week and the coming eight. */
const PAST = 7 * DAY;
const AHEAD = 56 * DAY;

export const feedUrl = (baseUrl: string, secret: string) => `${baseUrl.replace(/\/$/, '')}/ical/${secret}.ics`;

export async function rotateScheduleFeed(ctx: AppContext, actor: Actor, scheduleId: string): Promise<string> {
  assertCanEditOnCall(actor);
  const secret = newToken(SCHEDULE_PREFIX);
  await change(ctx, actor, async (tx) => {
    const schedule = await findSchedule(tx.db, scheduleId);
    await tx.db
      .updateTable('schedules')
      .set({ ical_secret_hash: hashToken(secret), updated_at: tx.now })
      .where('id', '=', scheduleId)
      .execute();
    await tx.audit({
      action: 'schedule.ical.rotate',
      entityType: 'schedule',
      entityId: scheduleId,
      clientId: null,
      summary: `New iCal feed URL for schedule "${schedule.name}" (the old one no longer works)`,
    });
  });
  return secret;
}

export async function rotatePersonalFeed(ctx: AppContext, actor: Actor): Promise<string> {
  assertCanSeeOnCall(actor);
  const userId = actor.userId;
  if (!userId || actor.type !== 'user') throw notFound('Your account');
  const secret = newToken(PERSON_PREFIX);
  await change(ctx, actor, async (tx) => {
    await tx.db.deleteFrom('user_ical_feeds').where('user_id', '=', userId).execute();
    await tx.db
      .insertInto('user_ical_feeds')
      .values({ user_id: userId, secret_hash: hashToken(secret), created_at: tx.now })
      .execute();
    await tx.audit({
      action: 'user.ical.rotate',
      entityType: 'user',
      entityId: userId,
      clientId: null,
      summary: 'New personal on-call iCal feed URL (the old one no longer works)',
    });
  });
  return secret;
}

/** The feed a secret opens, as iCalendar text; null when the secret is unknown (the route answers 404). */
export async function feedFor(db: Kdb, secret: string, now: Date): Promise<string | null> {
  const from = new Date(now.getTime() - PAST);
  const to = new Date(now.getTime() + AHEAD);
  if (secret.startsWith(SCHEDULE_PREFIX)) {
    const row = await db
      .selectFrom('schedules')
      .select('id')
      .where('ical_secret_hash', '=', hashToken(secret))
      .executeTakeFirst();
    return row ? scheduleFeed(db, row.id, from, to) : null;
  }
  if (secret.startsWith(PERSON_PREFIX)) {
    const row = await db
      .selectFrom('user_ical_feeds')
      .innerJoin('users', 'users.id', 'user_ical_feeds.user_id')
      .select(['users.id', 'users.name', 'users.disabled'])
      .where('secret_hash', '=', hashToken(secret))
      .executeTakeFirst();
    return row && !row.disabled ? personFeed(db, row, from, to) : null;
  }
  return null;
}

function calendar(name: string, from: Date, to: Date): ICalCalendar {
  return ical({
    name,
    prodId: { company: 'Afterhours', product: 'On-call', language: 'EN' },
    // No calendar-wide zone (DTSTAMP stays UTC); each event names its schedule's zone, defined here.
    timezone: { name: null, generator: (tz) => vtimezone(tz, from, to) },
    ttl: 15 * 60,
  });
}

async function scheduleFeed(db: Kdb, id: string, from: Date, to: Date): Promise<string> {
  const loaded = await loadSchedule(db, id, from, to);
  if (!loaded) return '';
  const shifts = finalShifts(loaded.def, overrideDefs(loaded), from, to).filter((s) => s.userId);
  const people = await peopleById(
    db,
    shifts.map((s) => s.userId!),
  );
  const cal = calendar(`On call: ${loaded.row.name}`, from, to);
  for (const s of shifts)
    addShift(cal, s, loaded.row.time_zone, `On call: ${people.get(s.userId!)?.name}`, `${loaded.row.name}`, id);
  return cal.toString();
}

async function personFeed(db: Kdb, user: { id: string; name: string }, from: Date, to: Date): Promise<string> {
  const cal = calendar(`On call: ${user.name}`, from, to);
  const schedules = await db.selectFrom('schedules').select('id').orderBy('name_lower').execute();
  for (const { id } of schedules) {
    const loaded = await loadSchedule(db, id, from, to);
    if (!loaded) continue;
    for (const s of finalShifts(loaded.def, overrideDefs(loaded), from, to))
      if (s.userId === user.id)
        addShift(cal, s, loaded.row.time_zone, `On call: ${loaded.row.name}`, loaded.row.name, `${id}:${user.id}`);
  }
  return cal.toString();
}

function addShift(cal: ICalCalendar, s: Shift, timeZone: string, summary: string, description: string, key: string) {
  cal.createEvent({
    // Stable per shift start, so a calendar app updates an event in place when the shift changes length.
    id: `${key}:${s.start.toISOString()}@afterhours`,
    start: zoned(s.start, timeZone),
    end: zoned(s.end, timeZone),
    timezone: timeZone,
    summary,
    description: s.source === 'override' ? `${description} (override)` : description,
    stamp: s.start,
  });
}

/**
 * An instant as the wall time of a zone, in the Temporal shape ical-generator accepts: it writes a plain
 * Date with a TZID in the machine's own zone, which would be wrong on any hub not running in the schedule's.
 */
function zoned(at: Date, timeZone: string) {
  const w = new Date(wallTime(at.getTime(), timeZone));
  const plain = {
    year: w.getUTCFullYear(),
    month: w.getUTCMonth() + 1,
    day: w.getUTCDate(),
    hour: w.getUTCHours(),
    minute: w.getUTCMinutes(),
    second: w.getUTCSeconds(),
    toZonedDateTime: () => zonedValue,
    toPlainDate: () => ({ year: plain.year, month: plain.month, day: plain.day }),
  };
  const zonedValue = {
    ...plain,
    timeZoneId: timeZone,
    toPlainDateTime: () => plain,
    withTimeZone: () => zonedValue,
    toInstant: () => ({ epochMilliseconds: at.getTime() }),
  };
  return zonedValue as any;
}
