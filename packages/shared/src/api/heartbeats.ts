import { z } from 'zod';
import { Id, Name, PlainText, Timestamp, TimeZone, page } from '../common.js';
import { cronProblem } from '../heartbeats/cron.js';
import {
  DEFAULT_GRACE_S,
  DEFAULT_PERIOD_S,
  MAX_GRACE_S,
  MAX_PERIOD_S,
  MIN_GRACE_S,
  MIN_PERIOD_S,
} from '../heartbeats/schedule.js';
import { heartbeatStatuses } from '../heartbeats/state.js';
import { inSystem, InSystemListQuery } from './in-system.js';

// ---- Heartbeats ---------------------------------------------------------------------

export const HeartbeatStatusName = z.enum(heartbeatStatuses);
export const SLUG_PATTERN = /^[a-z0-9_-]+$/;
export const DEFAULT_BODY_LIMIT = 10_000;
export const MAX_BODY_LIMIT = 100_000;

export const Slug = z
  .string()
  .min(1, { error: 'is required' })
  .max(100, { error: 'must be at most 100 characters' })
  .regex(SLUG_PATTERN, { error: 'may hold only lowercase letters, digits, - and _' });

const Seconds = (min: number, max: number, what: string) =>
  z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be a whole number of seconds' })
    .min(min, { error: `must be at least ${min} seconds` })
    .max(max, { error: `must be at most ${max} seconds (${what})` });

const GraceS = Seconds(MIN_GRACE_S, MAX_GRACE_S, '365 days')
  .default(DEFAULT_GRACE_S)
  .describe('How long after the expected time before it is down');

export const PeriodSchedule = z.strictObject({
  kind: z.literal('period'),
  periodS: Seconds(MIN_PERIOD_S, MAX_PERIOD_S, '365 days')
    .default(DEFAULT_PERIOD_S)
    .describe('Expected every this many seconds'),
  graceS: GraceS,
});
export const CronSchedule = z.strictObject({
  kind: z.literal('cron'),
  cron: z
    .string()
    .max(100)
    .superRefine((v, ctx) => {
      const problem = cronProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: `is not a valid cron expression: ${problem}` });
    })
    .describe('Five fields: minute hour day-of-month month day-of-week'),
  timeZone: TimeZone.optional().describe('Default: the site’s time zone'),
  graceS: GraceS,
});
export const ScheduleInput = z.discriminatedUnion('kind', [PeriodSchedule, CronSchedule], {
  error: 'must be {kind: "period", periodS, graceS} or {kind: "cron", cron, timeZone, graceS}',
});
export type ScheduleInput = z.infer<typeof ScheduleInput>;
export const ScheduleOutput = z.union([
  z.object({ kind: z.literal('period'), periodS: z.number().int(), graceS: z.number().int() }),
  z.object({ kind: z.literal('cron'), cron: z.string(), timeZone: z.string(), graceS: z.number().int() }),
]);

const Keyword = PlainText().trim().min(1).max(200);
export const PingKeywordsInput = z.strictObject({
  success: z.array(Keyword).max(20).default([]),
  failure: z.array(Keyword).max(20).default([]),
  start: z.array(Keyword).max(20).default([]),
});
export const PingKeywordsOutput = z.object({
  success: z.array(z.string()),
  failure: z.array(z.string()),
  start: z.array(z.string()),
});

export const EmailResult = z.enum(['success', 'warning', 'failure']);
export const EmailRule = z
  .strictObject({
    result: EmailResult,
    from: PlainText().max(200).optional().describe('Case-insensitive text the sender address must contain'),
    subject: PlainText().max(200).optional().describe('Case-insensitive text the subject must contain'),
    body: PlainText().max(200).optional().describe('Case-insensitive text the body must contain'),
  })
  .refine((r) => Boolean(r.from || r.subject || r.body), { error: 'needs at least one of from, subject or body' });
export type EmailRule = z.infer<typeof EmailRule>;

export const EmailPresetName = z.enum(['generic']);
export type EmailPresetName = z.infer<typeof EmailPresetName>;

export const EmailSettingsInput = z.strictObject({
  enabled: z.boolean({ error: 'must be true or false' }),
  localPart: z
    .string()
    .max(64)
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'may hold only lowercase letters, digits, ., - and _' })
    .nullable()
    .optional()
    .describe('The part before the @ (default: the heartbeat’s slug, else its id); unique across the hub'),
  preset: EmailPresetName.nullable()
    .optional()
    .describe('Rules for a backup product’s own report format, tried after the heartbeat’s own rules'),
  rules: z.array(EmailRule).max(20).default([]).describe('Tried in order; the first that matches decides'),
  otherwise: z
    .enum(['success', 'warning', 'failure', 'ignore'])
    .default('ignore')
    .describe('What a message that no rule matches means'),
});
export const EmailSettingsOutput = z.object({
  enabled: z.boolean(),
  address: z.string().nullable().describe('Where to send reports; null when off or when the hub has no report domain'),
  localPart: z.string().nullable(),
  preset: EmailPresetName.nullable(),
  rules: z.array(EmailRule),
  otherwise: z.enum(['success', 'warning', 'failure', 'ignore']),
});

export const LastResultName = z.enum(['success', 'warning', 'failure']);

export const Heartbeat = z.object({
  id: Id.describe('Also the ping URL’s UUID'),
  ...inSystem,
  name: z.string(),
  slug: z.string().nullable(),
  schedule: ScheduleOutput,
  pingPath: z.string().describe('/ping/<uuid>'),
  slugPath: z
    .string()
    .nullable()
    .describe('/ping/<ping-key>/<slug>, when the heartbeat has a slug and its client a ping key'),
  keywords: PingKeywordsOutput,
  bodyLimit: z.number().int(),
  paused: z.boolean(),
  status: HeartbeatStatusName,
  statusSince: Timestamp,
  statusReason: z.string(),
  lastPingAt: Timestamp.nullable(),
  lastSuccessAt: Timestamp.nullable(),
  lastResult: z.object({ result: LastResultName, at: Timestamp }).nullable(),
  lastDurationMs: z.number().nullable(),
  runningSince: Timestamp.nullable(),
  expectedAt: Timestamp.nullable(),
  downAt: Timestamp.nullable().describe('When it turns down if nothing arrives'),
  email: EmailSettingsOutput,
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const CreateHeartbeatRequest = z.strictObject({
  systemId: Id,
  name: Name,
  slug: Slug.nullable().optional().describe('Unique within the client'),
  schedule: ScheduleInput.default({ kind: 'period', periodS: DEFAULT_PERIOD_S, graceS: DEFAULT_GRACE_S }),
  keywords: PingKeywordsInput.optional().describe(
    'When any is set, ping bodies decide: failure words, then success words, then start words; otherwise ignored',
  ),
  bodyLimit: z
    .number()
    .int()
    .min(0)
    .max(MAX_BODY_LIMIT, { error: `must be at most ${MAX_BODY_LIMIT} bytes` })
    .default(DEFAULT_BODY_LIMIT),
  paused: z.boolean({ error: 'must be true or false' }).default(false),
  email: EmailSettingsInput.optional(),
});
export type CreateHeartbeatRequest = z.infer<typeof CreateHeartbeatRequest>;

export const UpdateHeartbeatRequest = z.strictObject({
  name: Name.optional(),
  slug: Slug.nullable().optional(),
  schedule: ScheduleInput.optional(),
  keywords: PingKeywordsInput.optional(),
  bodyLimit: z
    .number()
    .int()
    .min(0)
    .max(MAX_BODY_LIMIT, { error: `must be at most ${MAX_BODY_LIMIT} bytes` })
    .optional(),
  paused: z.boolean({ error: 'must be true or false' }).optional(),
  email: EmailSettingsInput.optional(),
});
export type UpdateHeartbeatRequest = z.infer<typeof UpdateHeartbeatRequest>;

export const HeartbeatListQuery = InSystemListQuery.extend({ status: HeartbeatStatusName.optional() });
export const HeartbeatList = page(Heartbeat);

// ---- History --------------------------------------------------------------------------

export const HeartbeatEvent = z.object({
  n: z.number().int().describe('Sequence number within the heartbeat; newest is highest'),
  at: Timestamp,
  source: z.enum(['http', 'email']),
  action: z.enum(['success', 'warning', 'fail', 'start', 'log', 'ignore']),
  method: z.string().describe('HEAD, GET, POST, or SMTP'),
  remoteAddr: z.string(),
  userAgent: z.string(),
  body: z.string().describe('The request body or the e-mail’s text, up to the heartbeat’s body limit'),
  bodySize: z.number().int().describe('The size received, in bytes'),
  rid: z.string().nullable(),
  exitStatus: z.number().int().nullable(),
  durationMs: z.number().nullable().describe('On a finish paired with its start'),
  emailFrom: z.string().nullable(),
  emailSubject: z.string().nullable(),
});
export type HeartbeatEvent = z.infer<typeof HeartbeatEvent>;
export const HeartbeatHistoryQuery = z.object({
  before: z.coerce.number().int().min(1).optional().describe('Only events with n below this (for the next page)'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  action: z
    .enum(['success', 'warning', 'fail', 'start', 'log', 'ignore'])
    .optional()
    .describe('Only events of this kind (action=fail&limit=1: the last failure, for its output)'),
});
export const HeartbeatHistory = z.object({ items: z.array(HeartbeatEvent), nextBefore: z.number().int().nullable() });

// ---- Ping keys ------------------------------------------------------------------------

export const PingKey = z.object({
  clientId: Id,
  key: z.string().nullable().describe('null until one is made'),
  slugPathPrefix: z.string().nullable().describe('/ping/<key>/'),
  autoCreateSystemId: Id.nullable().describe('Where ?create=1 puts heartbeats it creates; null refuses ?create=1'),
  createdAt: Timestamp.nullable(),
});
export const PingKeyRequest = z.strictObject({
  rotate: z.boolean().default(false).describe('Make a new key (the old one stops working at once)'),
  autoCreateSystemId: Id.nullable().optional(),
});

// ---- The Backups screen -----------------------------------------------------------------

export const DayResult = z.enum(['success', 'warning', 'failure', 'missed', 'none']);
export const BackupDay = z.object({
  date: z.string().describe('YYYY-MM-DD in the site’s time zone'),
  result: DayResult,
});
export const BackupJob = z.object({
  heartbeatId: Id,
  name: z.string(),
  systemId: Id,
  systemName: z.string(),
  systemKind: z.string(),
  siteId: Id,
  siteName: z.string(),
  timeZone: z.string(),
  status: HeartbeatStatusName,
  statusReason: z.string(),
  lastResult: z.object({ result: LastResultName, at: Timestamp }).nullable(),
  lastSuccessAt: Timestamp.nullable(),
  typicalDurationMs: z.number().nullable().describe('Median of the last 20 timed runs'),
  calendar: z.array(BackupDay).describe('The last 30 days, oldest first, in the site’s time zone'),
});
export const ClientBackups = z.object({
  clientId: Id,
  clientName: z.string(),
  at: Timestamp,
  jobs: z.array(BackupJob),
});
export type ClientBackups = z.infer<typeof ClientBackups>;

export const LastNightProblem = z.enum(['failure', 'warning', 'missed', 'late', 'down']);
export const LastNightItem = z.object({
  heartbeatId: Id,
  name: z.string(),
  clientId: Id,
  clientName: z.string(),
  siteId: Id,
  siteName: z.string(),
  systemName: z.string(),
  timeZone: z.string(),
  status: HeartbeatStatusName,
  problem: LastNightProblem,
  detail: z
    .string()
    .describe(
      'What went wrong, in a few words: the failing report’s e-mail subject or first line of output, else why it is late, down or missed',
    ),
  night: z
    .object({ from: Timestamp, to: Timestamp })
    .describe('18:00 the evening before to 12:00, in the site’s time zone'),
  lastResult: z.object({ result: LastResultName, at: Timestamp }).nullable(),
  lastSuccessAt: Timestamp.nullable(),
  shareLine: z.string().describe('One line to send the client'),
});
export const LastNight = z.object({ at: Timestamp, items: z.array(LastNightItem) });
export type LastNight = z.infer<typeof LastNight>;

export const HeartbeatSummary = z.object({
  counts: z.object({
    new: z.number().int(),
    up: z.number().int(),
    degraded: z.number().int(),
    late: z.number().int(),
    down: z.number().int(),
    paused: z.number().int(),
  }),
  failed: z.number().int().describe('Down: failed, or silent past the grace time'),
  late: z.number().int(),
});
