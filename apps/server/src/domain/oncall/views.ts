import {
  finalShifts,
  instantOfWallTime,
  wallTime,
  type Calendar,
  type MyShift,
  type OnCallNow,
  type Shift,
} from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { loadSchedule, overrideDefs, type LoadedSchedule } from './model.js';
import { peopleById } from './people.js';
import { assertCanSeeOnCall } from './policy.js';
import { presentShift } from './presenter.js';
import { findSchedule } from './schedules.js';

const DAY = 86_400_000;
/** How far ahead "now" looks for the next shift and for gaps to warn about. */
const WARN_AHEAD = 7 * DAY;

async function scheduleIds(db: Kdb): Promise<string[]> {
  return (await db.selectFrom('schedules').select('id').orderBy('name_lower').execute()).map((r) => r.id);
}

async function shiftsOf(db: Kdb, id: string, from: Date, to: Date) {
  const loaded = (await loadSchedule(db, id, from, to)) as LoadedSchedule;
  return { loaded, shifts: finalShifts(loaded.def, overrideDefs(loaded), from, to) };
}

const summary = (l: LoadedSchedule) => ({ id: l.row.id, name: l.row.name, timeZone: l.row.time_zone });

/** Per schedule: who is on call now, who is next, and the gaps of the coming week. */
export async function onCallNow(db: Kdb, actor: Actor, now: Date): Promise<OnCallNow> {
  assertCanSeeOnCall(actor);
  const from = new Date(now.getTime() - WARN_AHEAD);
  const to = new Date(now.getTime() + WARN_AHEAD);
  const found = await Promise.all((await scheduleIds(db)).map((id) => shiftsOf(db, id, from, to)));
  const people = await peopleById(
    db,
    found.flatMap((f) => f.shifts.flatMap((s) => (s.userId ? [s.userId] : []))),
  );
  const t = now.getTime();
  return {
    at: now.toISOString(),
    items: found.map(({ loaded, shifts }) => {
      const i = shifts.findIndex((s) => s.start.getTime() <= t && t < s.end.getTime());
      const next = shifts[i + 1];
      return {
        schedule: summary(loaded),
        now: presentShift(shifts[i]!, people),
        next: next ? presentShift(next, people) : null,
        gaps: shifts.filter((s) => s.userId === null && s.end.getTime() > t).map((s) => presentShift(s, people)),
      };
    }),
  };
}

/** The caller's own shifts in every schedule, from now for `days` days, in order. */
export async function myShifts(db: Kdb, actor: Actor, now: Date, days: number): Promise<{ items: MyShift[] }> {
  assertCanSeeOnCall(actor);
  const me = actor.userId;
  if (!me) return { items: [] };
  const to = new Date(now.getTime() + days * DAY);
  const found = await Promise.all((await scheduleIds(db)).map((id) => shiftsOf(db, id, now, to)));
  const people = await peopleById(db, [me]);
  const items = found.flatMap(({ loaded, shifts }) =>
    shifts.filter((s) => s.userId === me).map((s) => ({ ...presentShift(s, people), schedule: summary(loaded) })),
  );
  return { items: items.sort((a, b) => a.start.localeCompare(b.start)) };
}

/** The local date (YYYY-MM-DD) in a time zone at an instant. */
export function localDate(at: Date, timeZone: string): string {
  return new Date(wallTime(at.getTime(), timeZone)).toISOString().slice(0, 10);
}

/** A schedule's shifts per local day for `days` days from `fromDate` (today in its zone when left out). */
export async function scheduleCalendar(
  db: Kdb,
  actor: Actor,
  id: string,
  now: Date,
  fromDate: string | undefined,
  days: number,
): Promise<Calendar> {
  assertCanSeeOnCall(actor);
  const row = await findSchedule(db, id);
  const tz = row.time_zone;
  const first = Date.parse(`${fromDate ?? localDate(now, tz)}T00:00:00Z`);
  const edges = Array.from({ length: days + 1 }, (_, i) => instantOfWallTime(first + i * DAY, tz));
  const { loaded, shifts } = await shiftsOf(db, id, new Date(edges[0]!), new Date(edges[days]!));
  const people = await peopleById(
    db,
    shifts.flatMap((s) => (s.userId ? [s.userId] : [])),
  );
  const clip = (s: Shift, a: number, b: number): Shift => ({
    ...s,
    start: new Date(Math.max(a, s.start.getTime())),
    end: new Date(Math.min(b, s.end.getTime())),
  });
  return {
    schedule: summary(loaded),
    days: edges.slice(0, days).map((a, i) => {
      const b = edges[i + 1]!;
      const inDay = shifts.filter((s) => s.start.getTime() < b && s.end.getTime() > a).map((s) => clip(s, a, b));
      return {
        date: new Date(first + i * DAY).toISOString().slice(0, 10),
        shifts: inDay.map((s) => presentShift(s, people)),
        hasGap: inDay.some((s) => s.userId === null),
      };
    }),
    gaps: shifts.filter((s) => s.userId === null).map((s) => presentShift(s, people)),
  };
}
