import { z } from 'zod';
import { Id, Name, PlainText, Timestamp, TimeZone } from '../common.js';

/** On-call: teams, schedules, layers, overrides, who is on call, calendars and iCal feeds (docs/oncall.md). */

export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time of day, HH:MM' });
export const DateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date, YYYY-MM-DD' })
  .refine(
    (v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    {
      error: 'must be a real date',
    },
  );
const Instant = z.iso.datetime({ offset: true, error: 'must be a date and time, ISO 8601' });

export const Person = z.object({ id: Id, name: z.string() });
export type Person = z.infer<typeof Person>;

export const Team = z.object({
  id: Id,
  name: z.string(),
  members: z.array(Person),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Team = z.infer<typeof Team>;
export const TeamList = z.object({ items: z.array(Team) });
export const CreateTeamRequest = z.strictObject({
  name: Name,
  memberIds: z.array(Id).max(200).default([]),
});
export const UpdateTeamRequest = z.strictObject({
  name: Name.optional(),
  memberIds: z.array(Id).max(200).optional(),
});

export const Rotation = z.enum(['daily', 'weekly', 'days']);
export const RestrictionInput = z.strictObject({
  days: z.array(z.number().int().min(0).max(6)).min(1, { error: 'needs at least one day' }).max(7),
  from: TimeOfDay,
  to: TimeOfDay,
});

export const Layer = z.object({
  id: Id,
  scheduleId: Id,
  position: z.number().int(),
  name: z.string(),
  participants: z.array(Person),
  rotation: Rotation,
  everyDays: z.number().int(),
  handoffTime: z.string(),
  startDate: z.string(),
  restrictions: z.array(z.object({ days: z.array(z.number().int()), from: z.string(), to: z.string() })),
});
export type Layer = z.infer<typeof Layer>;

const layerFields = {
  name: Name,
  participantIds: z.array(Id).min(1, { error: 'needs at least one person' }).max(100),
  rotation: Rotation,
  everyDays: z.number().int().min(1).max(365).default(1),
  handoffTime: TimeOfDay,
  startDate: DateOnly,
  restrictions: z.array(RestrictionInput).max(21).default([]),
  position: z.number().int().min(0).max(100).optional(),
};
export const CreateLayerRequest = z.strictObject(layerFields);
export const UpdateLayerRequest = z.strictObject({
  name: layerFields.name.optional(),
  participantIds: layerFields.participantIds.optional(),
  rotation: Rotation.optional(),
  everyDays: z.number().int().min(1).max(365).optional(),
  handoffTime: TimeOfDay.optional(),
  startDate: DateOnly.optional(),
  restrictions: z.array(RestrictionInput).max(21).optional(),
  position: layerFields.position,
});

export const OnCallSchedule = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  teamId: Id.nullable(),
  layers: z.array(Layer),
  /** Whether an iCal feed URL exists (the URL itself is shown only when made). */
  icalFeed: z.boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type OnCallSchedule = z.infer<typeof OnCallSchedule>;
export const OnCallScheduleList = z.object({ items: z.array(OnCallSchedule) });
export const CreateScheduleRequest = z.strictObject({
  name: Name,
  timeZone: TimeZone,
  teamId: Id.nullable().default(null),
});
export const UpdateScheduleRequest = z.strictObject({
  name: Name.optional(),
  timeZone: TimeZone.optional(),
  teamId: Id.nullable().optional(),
});

export const Override = z.object({
  id: Id,
  scheduleId: Id,
  user: Person,
  start: Timestamp,
  end: Timestamp,
  note: z.string(),
  createdBy: z.string().nullable(),
  createdAt: Timestamp,
});
export type Override = z.infer<typeof Override>;
export const OverrideList = z.object({ items: z.array(Override) });
export const CreateOverrideRequest = z
  .strictObject({
    /** Whom the override puts on call; yourself when left out. */
    userId: Id.optional(),
    start: Instant,
    end: Instant,
    note: PlainText().max(500).default(''),
  })
  .refine((o) => Date.parse(o.end) > Date.parse(o.start), { error: 'must be after the start', path: ['end'] })
  .refine((o) => Date.parse(o.end) - Date.parse(o.start) <= 31 * 86_400_000, {
    error: 'may be at most 31 days after the start',
    path: ['end'],
  });
export const OverrideRangeQuery = z.strictObject({
  from: Instant.optional(),
  to: Instant.optional(),
});

export const ShiftOut = z.object({
  start: Timestamp,
  end: Timestamp,
  /** null: a gap, nobody on call */
  user: Person.nullable(),
  source: z.enum(['layer', 'override', 'gap']),
  layerId: z.string().nullable(),
  overrideId: z.string().nullable(),
});
export type ShiftOut = z.infer<typeof ShiftOut>;

export const ScheduleNow = z.object({
  schedule: z.object({ id: Id, name: z.string(), timeZone: z.string() }),
  /** Who is on call now; a shift with user null when nobody is. */
  now: ShiftOut,
  /** The next shift after this one (another person, or a gap). */
  next: ShiftOut.nullable(),
  /** Gaps in the coming week: warnings. */
  gaps: z.array(ShiftOut),
});
export type ScheduleNow = z.infer<typeof ScheduleNow>;
export const OnCallNow = z.object({ at: Timestamp, items: z.array(ScheduleNow) });
export type OnCallNow = z.infer<typeof OnCallNow>;

export const MyShift = ShiftOut.extend({ schedule: z.object({ id: Id, name: z.string(), timeZone: z.string() }) });
export type MyShift = z.infer<typeof MyShift>;
export const MyShifts = z.object({ items: z.array(MyShift) });
export const MyShiftsQuery = z.strictObject({ days: z.coerce.number().int().min(1).max(90).default(28) });

export const CalendarQuery = z.strictObject({
  /** First day (in the schedule's time zone); today when left out. */
  from: DateOnly.optional(),
  days: z.coerce.number().int().min(1).max(56).default(28),
});
export const CalendarDay = z.object({
  date: z.string(),
  shifts: z.array(ShiftOut),
  hasGap: z.boolean(),
});
export const Calendar = z.object({
  schedule: z.object({ id: Id, name: z.string(), timeZone: z.string() }),
  days: z.array(CalendarDay),
  gaps: z.array(ShiftOut),
});
export type Calendar = z.infer<typeof Calendar>;

/** A feed URL, shown only when made or rotated: the hub keeps only its hash. */
export const IcalFeedUrl = z.object({ url: z.string() });
