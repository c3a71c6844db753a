import { z } from 'zod';
import { Id, Name, PlainText, Timestamp, TimeZone } from '../common.js';
import { Weekday } from './register.js';

// ---- Escalation policies --------------------------------------------------

export const EscalationTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('schedule'), id: Id }).describe('whoever is on call in the schedule'),
  z.object({ type: z.literal('user'), id: Id }),
  z.object({ type: z.literal('team'), id: Id }).describe('everyone in the team'),
]);
export type EscalationTarget = z.infer<typeof EscalationTarget>;

export const EscalationStep = z.object({
  targets: z.array(EscalationTarget).min(1, { error: 'needs at least one person, schedule or team' }).max(20),
  /** Minutes to wait for an acknowledgement before the next step. */
  waitMinutes: z.number().int().min(1).max(1440),
});
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationPolicy = z.object({
  id: Id,
  name: z.string(),
  isDefault: z.boolean(),
  steps: z.array(EscalationStep),
  /** How many more times the steps run after the first pass while nobody acknowledges. */
  repeat: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type EscalationPolicy = z.infer<typeof EscalationPolicy>;
export const EscalationPolicyList = z.object({ items: z.array(EscalationPolicy) });

export const CreateEscalationPolicyRequest = z.strictObject({
  name: Name,
  isDefault: z.boolean().default(false),
  steps: z.array(EscalationStep).min(1, { error: 'needs at least one step' }).max(20),
  repeat: z.number().int().min(0).max(10).default(0),
});
export const UpdateEscalationPolicyRequest = z.strictObject({
  name: Name.optional(),
  isDefault: z.boolean().optional(),
  steps: z.array(EscalationStep).min(1, { error: 'needs at least one step' }).max(20).optional(),
  repeat: z.number().int().min(0).max(10).optional(),
});

// ---- Maintenance windows --------------------------------------------------

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a time as HH:MM' });

export const MaintenanceWindow = z.object({
  id: Id,
  clientId: Id,
  siteId: Id,
  siteName: z.string(),
  /** Empty: the whole site. */
  systemIds: z.array(Id),
  kind: z.enum(['once', 'weekly']),
  startsAt: Timestamp.nullable(),
  endsAt: Timestamp.nullable(),
  days: z.array(Weekday),
  startTime: z.string().nullable(),
  endTime: z.string().nullable(),
  timeZone: z.string(),
  reason: z.string(),
  source: z.enum(['person', 'plan']),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  endedAt: Timestamp.nullable(),
  /** In force now. */
  active: z.boolean(),
  /** While in force: when it stops (the end of this week's occurrence of a weekly one); null: until ended. */
  until: Timestamp.nullable(),
  createdAt: Timestamp,
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;
export const MaintenanceWindowList = z.object({ items: z.array(MaintenanceWindow) });

export const CreateMaintenanceRequest = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('once'),
    systemIds: z.array(Id).max(500).default([]),
    startsAt: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' }).optional(),
    endsAt: z.iso.datetime({ offset: true, error: 'must be a date and time (ISO 8601)' }),
    reason: PlainText().trim().min(1, { error: 'is required' }).max(500),
  }),
  z.strictObject({
    kind: z.literal('weekly'),
    systemIds: z.array(Id).max(500).default([]),
    days: z.array(Weekday).min(1, { error: 'needs at least one day' }).max(7),
    startTime: ClockTime,
    endTime: ClockTime,
    timeZone: TimeZone.optional(),
    reason: PlainText().trim().min(1, { error: 'is required' }).max(500),
  }),
]);
export type CreateMaintenanceRequest = z.infer<typeof CreateMaintenanceRequest>;
export const MaintenanceListQuery = z.object({
  siteId: Id.optional(),
  active: z.enum(['true', 'false', 'all']).default('all'),
});

// ---- Alerts ---------------------------------------------------------------

export const AlertStateSchema = z.enum(['open', 'acknowledged', 'resolved']);

export const Alert = z.object({
  id: Id,
  kind: z.enum(['check', 'site', 'heartbeat', 'system', 'power']),
  title: z.string(),
  reason: z.string(),
  criticality: z.string(),
  state: AlertStateSchema,
  subjectState: z.string(),
  flapping: z.boolean(),
  inMaintenance: z.boolean(),
  pages: z.boolean(),
  pageReason: z.string(),
  clientId: z.string().nullable(),
  clientName: z.string().nullable(),
  siteId: z.string().nullable(),
  siteName: z.string().nullable(),
  systemId: z.string().nullable(),
  checkId: z.string().nullable(),
  heartbeatId: z.string().nullable(),
  affected: z.array(z.object({ checkId: z.string(), name: z.string(), at: Timestamp })),
  /** A server's alert: its own checks that are failing (one alert per server, not one per check). */
  failing: z.array(z.object({ checkId: z.string(), name: z.string(), since: Timestamp, reason: z.string() })),
  openedAt: Timestamp,
  lastChangeAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  resolvedAt: Timestamp.nullable(),
  resolvedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  resolution: z.enum(['recovered', 'person']).nullable(),
  /** Who was paged (staff only; empty for client accounts). */
  paged: z.array(z.object({ id: z.string(), name: z.string() })),
  policyName: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertList = z.object({ items: z.array(Alert), nextCursor: z.string().nullable() });
export const AlertListQuery = z.object({
  state: z.enum(['unresolved', 'open', 'acknowledged', 'resolved', 'all']).default('unresolved'),
  clientId: Id.optional(),
  siteId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
});

export const AlertEvent = z.object({
  at: Timestamp,
  kind: z.string(),
  summary: z.string(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
});

/** One delivery attempt of a page or notice, from the channels' delivery log. */
export const AlertDelivery = z.object({
  at: Timestamp,
  userName: z.string().nullable(),
  channel: z.string(),
  status: z.string(),
  detail: z.string().nullable(),
});

export const AlertDetail = z.object({
  alert: Alert,
  timeline: z.array(AlertEvent),
  deliveries: z.array(AlertDelivery),
});
export type AlertDetail = z.infer<typeof AlertDetail>;

export const AckResult = z.object({ alert: Alert });

// ---- The hub's own heartbeats ---------------------------------------------

export const HubHeartbeat = z.object({
  name: z.string(),
  label: z.string(),
  /** The last completed pass, by any hub process. */
  lastBeatAt: Timestamp.nullable(),
  process: z.string().nullable(),
  /** When it counts as stuck if it does not beat again. */
  lateAt: Timestamp.nullable(),
  state: z.enum(['ok', 'late', 'never']),
});
export type HubHeartbeat = z.infer<typeof HubHeartbeat>;
export const HubHeartbeatList = z.object({ items: z.array(HubHeartbeat) });
