import { z } from 'zod';
import { Id, Name, PlainText, Timestamp, page } from '../common.js';
import { inSystem, InSystemListQuery } from './in-system.js';

// ---- Checks ------------------------------------------------------------------

/** The kinds of check (packages/checks). Kept here as plain names so the web app need not load the check code. */
export const CheckKind = z.enum(['http', 'tcp', 'ping', 'dns', 'tls', 'smtp', 'imap', 'sip', 'ssh', 'snmp']);
export type CheckKind = z.infer<typeof CheckKind>;
export const CheckStateName = z.enum(['unknown', 'up', 'degraded', 'down', 'paused']);
export const ResultStatusName = z.enum(['up', 'degraded', 'down']);
export const ProbeName = z
  .enum(['hub', 'agent'])
  .describe('hub: the built-in probe on the internet side; agent: the site agent inside the office');

export const MIN_INTERVAL_S = 10;
export const MAX_INTERVAL_S = 86_400;
const IntervalS = z
  .number({ error: 'must be a number of seconds' })
  .int({ error: 'must be a whole number of seconds' })
  .min(MIN_INTERVAL_S, { error: `must be at least ${MIN_INTERVAL_S} seconds` })
  .max(MAX_INTERVAL_S, { error: 'must be at most 86400 seconds (24 hours)' });
const TimeoutMs = z
  .number({ error: 'must be a number of milliseconds' })
  .int({ error: 'must be a whole number of milliseconds' })
  .min(100, { error: 'must be at least 100 ms' })
  .max(MAX_INTERVAL_S * 1000, { error: 'must be at most 24 hours' });
const Threshold = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(1, { error: 'must be 1 to 20' })
  .max(20, { error: 'must be 1 to 20' });
const Params = z.record(z.string(), z.unknown(), { error: 'must be an object of the check’s settings' });

export const LastResult = z.object({
  at: Timestamp,
  status: ResultStatusName,
  latencyMs: z.number().nullable(),
  message: z.string(),
});

export const CheckCause = z
  .object({
    type: z.enum(['system', 'agent']),
    id: Id,
    name: z.string().describe('The system’s or the agent’s name ("a deleted site agent" once it is gone)'),
  })
  .nullable()
  .describe('Why the check is unknown instead of down: a system it depends on, or its site’s agent');
export type CheckCause = z.infer<typeof CheckCause>;

export const Check = z.object({
  id: Id,
  ...inSystem,
  name: z.string(),
  kind: CheckKind,
  params: z
    .record(z.string(), z.unknown())
    .describe('The check’s settings; secret ones (passwords, SNMP community and keys) read "***"'),
  probe: ProbeName,
  agentId: Id.nullable(),
  intervalS: z.number().int(),
  timeoutMs: z.number().int(),
  failuresBeforeDown: z.number().int(),
  successesBeforeUp: z.number().int(),
  paused: z.boolean(),
  state: CheckStateName,
  stateSince: Timestamp,
  stateReason: z.string(),
  cause: CheckCause,
  lastResult: LastResult.nullable(),
  nextRunAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Check = z.infer<typeof Check>;

const timeoutWithinInterval = (
  v: { intervalS?: number | undefined; timeoutMs?: number | undefined },
  ctx: z.RefinementCtx,
) => {
  if (v.intervalS !== undefined && v.timeoutMs !== undefined && v.timeoutMs > v.intervalS * 1000) {
    ctx.addIssue({ code: 'custom', path: ['timeoutMs'], message: 'must not be longer than the interval' });
  }
};

export const CreateCheckRequest = z
  .strictObject({
    systemId: Id,
    name: Name,
    kind: CheckKind,
    params: Params.describe(
      'Settings of this kind of check (see packages/checks/README.md); errors come back as params.<field>',
    ),
    probe: ProbeName.default('hub'),
    agentId: Id.optional().describe('For probe "agent": which agent of the site (default: the site’s only agent)'),
    intervalS: IntervalS.default(60),
    timeoutMs: TimeoutMs.optional().describe('Default: 10 s, or the interval if shorter'),
    failuresBeforeDown: Threshold.default(2),
    successesBeforeUp: Threshold.default(1),
    paused: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .superRefine(timeoutWithinInterval);
export type CreateCheckRequest = z.infer<typeof CreateCheckRequest>;

export const UpdateCheckRequest = z
  .strictObject({
    name: Name.optional(),
    params: Params.optional().describe('Replaces the settings; a secret field sent as "***" keeps the stored secret'),
    probe: ProbeName.optional(),
    agentId: Id.nullable().optional(),
    intervalS: IntervalS.optional(),
    timeoutMs: TimeoutMs.optional(),
    failuresBeforeDown: Threshold.optional(),
    successesBeforeUp: Threshold.optional(),
    paused: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .superRefine(timeoutWithinInterval);
export type UpdateCheckRequest = z.infer<typeof UpdateCheckRequest>;

export const CheckListQuery = InSystemListQuery.extend({ state: CheckStateName.optional() });
export const CheckList = page(Check);

// ---- Results, uptime, state changes -----------------------------------------------

export const CheckResult = LastResult.extend({ source: z.string().describe('hub, or agent:<id>') });
export type CheckResult = z.infer<typeof CheckResult>;

export const CheckResultsQuery = z.object({
  since: z.iso.datetime({ error: 'must be an ISO 8601 UTC time such as 2026-11-20T17:00:00Z' }).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export const CheckResultList = z.object({ items: z.array(CheckResult) });

export const RunCheckResponse = z.object({
  result: LastResult.nullable().describe(
    'null when an agent check was sent to its agent but its result has not arrived in time',
  ),
  check: Check,
});

export const UptimeWindow = z.object({
  /** null when there were no results in the window */
  percent: z.number().nullable(),
  checks: z.number().int(),
  failures: z.number().int(),
  latencyMeanMs: z.number().nullable(),
  latencyMinMs: z.number().nullable(),
  latencyMaxMs: z.number().nullable(),
});
export const Uptime = z.object({
  checkId: Id,
  /** Whole hours from the hourly roll-ups. */
  day: UptimeWindow,
  week: UptimeWindow,
  month: UptimeWindow,
  hourly: z
    .array(
      z.object({
        hour: Timestamp,
        count: z.number().int(),
        failures: z.number().int(),
        latencyMeanMs: z.number().nullable(),
      }),
    )
    .describe('The last 48 hours, for a chart'),
});
export type Uptime = z.infer<typeof Uptime>;

/** How far back a check's history chart reaches, and its default step in minutes. */
export const HISTORY_RANGES = { '1d': 15, '7d': 15, '30d': 60, '90d': 180, '1y': 1440 } as const;
export const HISTORY_RANGE_MINUTES = {
  '1d': 1440,
  '7d': 10_080,
  '30d': 43_200,
  '90d': 129_600,
  '1y': 525_600,
} as const;
export const HISTORY_STEPS = [1, 5, 15, 60, 180, 360, 1440] as const;
export const HISTORY_MAX_POINTS = 10_080;
export type HistoryRange = keyof typeof HISTORY_RANGES;

export const CheckHistoryQuery = z
  .object({
    range: z.enum(['1d', '7d', '30d', '90d', '1y'], { error: 'must be one of 1d, 7d, 30d, 90d, 1y' }).default('7d'),
    step: z.coerce
      .number()
      .int()
      .refine((n) => (HISTORY_STEPS as readonly number[]).includes(n), {
        error: `must be one of ${HISTORY_STEPS.join(', ')} (minutes)`,
      })
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.step !== undefined && HISTORY_RANGE_MINUTES[q.range] / q.step > HISTORY_MAX_POINTS)
      ctx.addIssue({
        code: 'custom',
        path: ['step'],
        message: `gives more than ${HISTORY_MAX_POINTS} points for ${q.range}: take a longer step`,
      });
  });

export const CheckHistory = z.object({
  checkId: Id,
  range: z.enum(['1d', '7d', '30d', '90d', '1y']),
  stepMinutes: z.number().int(),
  from: Timestamp.describe('start of the first step'),
  to: Timestamp,
  /** Whole hours from the hourly roll-ups, like the uptime windows. */
  summary: UptimeWindow,
  points: z
    .array(
      z.object({
        at: Timestamp.describe('start of the step'),
        count: z.number().int(),
        failures: z.number().int(),
        latencyMeanMs: z.number().nullable(),
      }),
    )
    .describe(
      'Steps that had results, oldest first. Steps under an hour come from the per-minute roll-ups (kept 90 days by default) and the newest raw results; longer ones from the hourly roll-ups (2 years).',
    ),
});
export type CheckHistory = z.infer<typeof CheckHistory>;

export const StateChange = z.object({
  id: Id,
  at: Timestamp,
  recordedAt: Timestamp,
  clientId: Id,
  siteId: Id,
  systemId: Id.nullable(),
  checkId: Id.nullable(),
  agentId: Id.nullable(),
  subjectType: z.enum(['check', 'site', 'heartbeat']),
  heartbeatId: Id.nullable().optional().describe('Set on changes of a heartbeat'),
  subjectName: z.string().describe('The check’s or the site’s name'),
  from: z.string(),
  to: z.string(),
  reason: z.string(),
  cause: z.object({ type: z.string(), id: z.string() }).nullable(),
  rootCauseId: Id.nullable().describe('The change this one follows from; null for a root cause'),
  source: z.string(),
});
export type StateChange = z.infer<typeof StateChange>;

export const StateChangeQuery = z.object({
  siteId: Id.optional(),
  clientId: Id.optional(),
  rootsOnly: z.enum(['true', 'false']).default('false'),
  before: z.iso.datetime({ error: 'must be an ISO 8601 UTC time' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const StateChangeLimitQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });
export const StateChangeList = z.object({ items: z.array(StateChange) });

// ---- The Now screen ---------------------------------------------------------------

export const StateCounts = z.object({
  up: z.number().int(),
  degraded: z.number().int(),
  down: z.number().int(),
  unknown: z.number().int(),
  paused: z.number().int(),
});
export type StateCounts = z.infer<typeof StateCounts>;

export const StatusCheck = z.object({
  id: Id,
  name: z.string(),
  kind: CheckKind,
  probe: ProbeName,
  state: CheckStateName,
  stateSince: Timestamp,
  stateReason: z.string(),
  cause: CheckCause,
  lastResult: LastResult.nullable(),
  latencies: z.array(z.number().nullable()).describe('The last 30 latencies, oldest first, for a sparkline'),
});
export const StatusSystem = z.object({
  id: Id,
  name: z.string(),
  kind: z.string(),
  counts: StateCounts,
  checks: z.array(StatusCheck),
});
export const StatusSite = z.object({
  id: Id,
  name: z.string(),
  timeZone: z.string(),
  reachable: z.boolean().describe('False while the site’s agent is unreachable'),
  unreachableSince: Timestamp.nullable().describe('When the site’s agent went silent; null while it is reachable'),
  agentName: z
    .string()
    .nullable()
    .describe('The site’s agent (the unreachable one, if any); null when the site has none'),
  counts: StateCounts,
  systems: z.array(StatusSystem),
});
export const StatusClient = z.object({ id: Id, name: z.string(), counts: StateCounts, sites: z.array(StatusSite) });
export const SiteStatus = z.object({
  at: Timestamp,
  counts: StateCounts,
  clients: z
    .array(StatusClient)
    .describe('Problems first: clients with checks down, then degraded, then unknown, then by name'),
});
export type SiteStatus = z.infer<typeof SiteStatus>;
export const StatusQuery = z.object({
  clientId: Id.optional(),
  siteId: Id.optional().describe('Only this site (and its client, with counts of this site alone)'),
  problemsOnly: z.enum(['true', 'false']).default('false'),
  q: PlainText().max(200).optional(),
});

// ---- The Now screen, compact -------------------------------------------------------

export const SummaryCheck = StatusCheck.omit({ latencies: true }).extend({ systemId: Id, systemName: z.string() });
export const SummaryGroup = z.object({
  reason: z.string().describe('What the checks share, e.g. "because File server is down"'),
  probe: ProbeName,
  cause: CheckCause,
  count: z.number().int().min(2),
  since: Timestamp.describe('When the first of them became unknown'),
  names: z
    .array(z.string())
    .max(4)
    .describe('"System check" of the first four, by system and check name (the line says "and N more")'),
});
export const SummarySite = StatusSite.omit({ systems: true }).extend({
  problems: z
    .array(SummaryCheck)
    .describe(
      'The checks down or degraded, and those unknown for a reason no other check at the site shares: worst first, then by system and name',
    ),
  groups: z
    .array(SummaryGroup)
    .describe(
      'Checks unknown for the same reason, through the same probe, two or more at the site: one line each, largest first (the site screen lists them one by one)',
    ),
});
export const SummaryClient = StatusClient.omit({ sites: true }).extend({ sites: z.array(SummarySite) });
export const StatusSummary = z.object({
  at: Timestamp,
  counts: StateCounts,
  clients: z.array(SummaryClient).describe('Problems first, as in GET /api/status'),
});
export type StatusSummary = z.infer<typeof StatusSummary>;
