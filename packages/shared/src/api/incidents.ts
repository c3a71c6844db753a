import { z } from 'zod';
import { Id, PlainText, Timestamp } from '../common.js';
import { SupportHours } from './register.js';

// ---- Vocabulary -----------------------------------------------------------

export const IncidentStatus = z.enum(['investigating', 'identified', 'monitoring', 'resolved']);
export type IncidentStatus = z.infer<typeof IncidentStatus>;

export const IncidentSeverity = z.enum(['critical', 'major', 'minor']);
export type IncidentSeverity = z.infer<typeof IncidentSeverity>;

/** Every kind of line an incident's timeline holds; everything is written through addTimelineEntry. */
export const TimelineKind = z.enum([
  'opened',
  'call',
  'note',
  'photo',
  'alert',
  'recovery',
  'acknowledged',
  'paged',
  'status',
  'owner',
  'severity',
  'affected',
  'task',
  'update',
  'power',
  'checklist',
]);
export type TimelineKind = z.infer<typeof TimelineKind>;

export const TaskStatus = z.enum(['todo', 'doing', 'done', 'blocked']);
export type TaskStatus = z.infer<typeof TaskStatus>;

const PersonRef = z.object({ id: z.string(), name: z.string() });
export type PersonRef = z.infer<typeof PersonRef>;

const OneLine = (max: number) =>
  PlainText()
    .trim()
    .min(1, { error: 'is required' })
    .max(max)
    .regex(/^[^\r\n]*$/, { error: 'must be one line' });
const When = z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' });

// ---- Response times -------------------------------------------------------

/** The contract's terms an incident is measured against, copied when it opens. */
export const IncidentTerms = z.object({
  supportHours: SupportHours,
  acknowledgeTargetMinutes: z.number().int(),
  resolveTargetMinutes: z.number().int().nullable(),
});
export type IncidentTerms = z.infer<typeof IncidentTerms>;

export const ResponseClock = z.object({
  /** none: no target; running; paused (outside support hours); met; breached (still running or stopped late). */
  state: z.enum(['none', 'running', 'paused', 'met', 'breached']),
  targetMinutes: z.number().int().nullable(),
  /** Support minutes counted so far (or until it stopped). */
  elapsedMinutes: z.number().int(),
  /** Minutes of support time left before the target is missed (negative: missed by that much); null without a target. */
  leftMinutes: z.number().int().nullable(),
  /** When the target will be missed if nothing happens (counting only support hours), while it runs. */
  breachAt: Timestamp.nullable(),
  stoppedAt: Timestamp.nullable(),
});
export type ResponseClock = z.infer<typeof ResponseClock>;

export const IncidentResponse = z.object({
  /** 24/7, or the support hours the clock runs in. */
  hours: z.string(),
  acknowledge: ResponseClock,
  resolve: ResponseClock,
});
export type IncidentResponse = z.infer<typeof IncidentResponse>;

// ---- Incidents ------------------------------------------------------------

export const IncidentSummary = z.object({
  id: Id,
  number: z.number().int(),
  clientId: Id,
  clientName: z.string(),
  title: z.string(),
  status: IncidentStatus,
  severity: IncidentSeverity,
  owner: PersonRef.nullable(),
  sites: z.array(z.object({ id: Id, name: z.string(), timeZone: z.string() })),
  openedAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  openTasks: z.number().int(),
  overdueTasks: z.number().int(),
  response: IncidentResponse,
});
export type IncidentSummary = z.infer<typeof IncidentSummary>;
export const IncidentList = z.object({ items: z.array(IncidentSummary) });

export const IncidentListQuery = z.object({
  state: z.enum(['open', 'resolved', 'all']).default('all'),
  clientId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const TimelineEntry = z.object({
  id: Id,
  at: Timestamp,
  kind: TimelineKind,
  actor: PersonRef.nullable(),
  text: z.string(),
  refType: z.string().nullable(),
  refId: z.string().nullable(),
  data: z.unknown(),
  /** Only the team sees this line: never the client's users, the report or a shared link. */
  internal: z.boolean(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Task = z.object({
  id: Id,
  incidentId: Id,
  incidentNumber: z.number().int(),
  incidentTitle: z.string(),
  clientName: z.string(),
  title: z.string(),
  assignee: PersonRef.nullable(),
  reportTo: PersonRef.nullable(),
  dueAt: Timestamp.nullable(),
  /** The site's time zone the due time is also shown in (the first affected site when none is named). */
  siteTimeZone: z.string().nullable(),
  status: TaskStatus,
  outcome: z.string(),
  overdue: z.boolean(),
  statusAt: Timestamp,
  statusBy: PersonRef.nullable(),
  createdAt: Timestamp,
});
export type Task = z.infer<typeof Task>;
export const TaskList = z.object({ items: z.array(Task) });

export const AffectedSystem = z.object({
  id: Id,
  name: z.string(),
  kind: z.string(),
  siteId: Id,
  /** Live: the worst state of its checks (up, degraded, down, unknown, paused, none). */
  state: z.string(),
});

export const IncidentDetail = IncidentSummary.extend({
  summary: z.string(),
  source: z.enum(['call', 'alert', 'person']),
  openedBy: PersonRef.nullable(),
  acknowledgedBy: PersonRef.nullable(),
  resolvedBy: PersonRef.nullable(),
  statusAt: Timestamp,
  statusBy: PersonRef.nullable(),
  terms: IncidentTerms,
  systems: z.array(AffectedSystem),
  alerts: z.array(z.object({ id: Id, title: z.string(), state: z.string(), openedAt: Timestamp })),
  tasks: z.array(Task),
  /** The newest lines (200), oldest first; older ones from GET /api/incidents/:id/timeline?before=… */
  timeline: z.array(TimelineEntry),
  /** How many lines the whole timeline holds. */
  timelineTotal: z.number().int(),
  /** Whether the viewer may change it (staff) or only read it (client accounts). */
  canEdit: z.boolean(),
});
export type IncidentDetail = z.infer<typeof IncidentDetail>;

export const TimelinePage = z.object({ items: z.array(TimelineEntry), more: z.boolean() });
export const TimelinePageQuery = z.object({ before: Id.optional() });

export const CallDetails = z.strictObject({
  /** Who rang; with contactId it may be left out (the contact's name is used). */
  callerName: PlainText().trim().max(200).optional(),
  contactId: Id.optional(),
  phone: PlainText().trim().max(50).optional(),
  /** When the call came in; now when absent. */
  at: When.optional(),
});
export type CallDetails = z.infer<typeof CallDetails>;

export const OpenIncidentRequest = z.strictObject({
  clientId: Id,
  siteIds: z.array(Id).max(50).default([]),
  systemIds: z.array(Id).max(500).default([]),
  /** Short; the first line of what was said when absent. */
  title: OneLine(200).optional(),
  /** What the caller said. */
  summary: PlainText().trim().min(1, { error: 'is required' }).max(5000),
  severity: IncidentSeverity.default('major'),
  call: CallDetails.optional(),
  /** Promote this alert: it joins the incident, and the person promoting it has it in hand (no second page). */
  fromAlertId: Id.optional(),
  /** The person opening it is handling it: acknowledged at once, nobody is paged. */
  acknowledge: z.boolean().default(false),
});
export type OpenIncidentRequest = z.infer<typeof OpenIncidentRequest>;

export const ChangeIncidentRequest = z.strictObject({
  title: OneLine(200).optional(),
  severity: IncidentSeverity.optional(),
  ownerUserId: Id.nullable().optional(),
});
export type ChangeIncidentRequest = z.infer<typeof ChangeIncidentRequest>;

export const ChangeStatusRequest = z.strictObject({
  status: IncidentStatus,
  /** One line on the timeline with the change ("power back, servers starting"). */
  note: PlainText().trim().max(1000).optional(),
});
export type ChangeStatusRequest = z.infer<typeof ChangeStatusRequest>;

export const AffectedRequest = z.strictObject({
  siteIds: z.array(Id).max(50),
  systemIds: z.array(Id).max(500),
});
export type AffectedRequest = z.infer<typeof AffectedRequest>;

/** Notes are the team's unless marked for the client (`internal: false`): see docs/incidents.md. */
export const NoteRequest = z.strictObject({ text: OneLine(2000), internal: z.boolean().default(true) });
export type NoteRequest = z.infer<typeof NoteRequest>;

export const CallRequest = CallDetails.extend({ text: PlainText().trim().max(2000).default('') });
export type CallRequest = z.infer<typeof CallRequest>;

export const PhotoQuery = z.object({
  note: PlainText().trim().max(1000).default(''),
  /** "false": the client's users see the photo too; the team's only by default, like notes. */
  internal: z.enum(['true', 'false']).default('true'),
});
export const PhotoParams = z.object({ id: Id, photoId: Id });

/** Photos from a phone's camera, after the app has scaled them down; larger is refused. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

// ---- Tasks ----------------------------------------------------------------

export const CreateTaskRequest = z.strictObject({
  title: OneLine(300),
  assigneeUserId: Id.nullable().default(null),
  reportToUserId: Id.nullable().default(null),
  dueAt: When.nullable().default(null),
  siteId: Id.nullable().default(null),
  templateId: Id.optional(),
});
export type CreateTaskRequest = z.infer<typeof CreateTaskRequest>;

export const ChangeTaskRequest = z.strictObject({
  title: OneLine(300).optional(),
  assigneeUserId: Id.nullable().optional(),
  reportToUserId: Id.nullable().optional(),
  dueAt: When.nullable().optional(),
  status: TaskStatus.optional(),
  /** What was done or found; needed to mark a task blocked (say what blocks it). */
  outcome: PlainText().trim().max(2000).optional(),
});
export type ChangeTaskRequest = z.infer<typeof ChangeTaskRequest>;

export const MyTasksQuery = z.object({
  status: z.enum(['open', 'all']).default('open'),
});

export const TaskTemplate = z.object({ id: Id, title: z.string(), notes: z.string() });
export type TaskTemplate = z.infer<typeof TaskTemplate>;
export const TaskTemplateList = z.object({ items: z.array(TaskTemplate) });
export const TaskTemplateRequest = z.strictObject({
  title: OneLine(300),
  notes: PlainText().trim().max(1000).default(''),
});
export const ChangeTaskTemplateRequest = z.strictObject({
  title: OneLine(300).optional(),
  notes: PlainText().trim().max(1000).optional(),
});
