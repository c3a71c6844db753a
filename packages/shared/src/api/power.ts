import { z } from 'zod';
import { Timestamp } from '../common.js';

/** API shapes of the power feature: a site's UPSes, state, plan, systems' power actions, outages, log. */

const Settings = z.record(z.string(), z.unknown());

export const PowerActionInput = z.object({
  kind: z.enum(['ssh', 'ipmi', 'redfish', 'wol', 'manual']),
  /** Secrets included on the way in; "***" keeps the stored one. */
  settings: Settings,
});

export const PowerActionShown = z.object({
  kind: z.enum(['ssh', 'ipmi', 'redfish', 'wol', 'manual']),
  /** Without secrets. */
  settings: Settings,
  /** Which secret fields are set (never their values). */
  secretsSet: z.array(z.string()),
});

export const SystemPowerRequest = z.object({
  shutdown: PowerActionInput.nullable(),
  startup: PowerActionInput.nullable(),
});

export const SystemPower = z.object({
  systemId: z.string(),
  systemName: z.string(),
  shutdown: PowerActionShown.nullable(),
  startup: PowerActionShown.nullable(),
  /** SSH host key pinned on first use (or re-pinned by an owner or admin), and when. */
  hostKey: z.string().nullable(),
  hostKeyPinnedAt: Timestamp.nullable(),
  /** A different key the server offered and the agent refused: the shutdown was not sent. */
  hostKeyRefused: z.string().nullable(),
  hostKeyRefusedAt: Timestamp.nullable(),
  /** Set while the system is off because a plan shut it down. */
  shutDownByPlanAt: Timestamp.nullable(),
});

/** An SSH host key fingerprint as OpenSSH prints it (`ssh-keygen -lf`): SHA256: and 43 base64 characters. */
export const HostKeyFingerprint = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, {
    error: 'must be a fingerprint like SHA256:… (43 characters after the colon)',
  });

/** Re-pin a system's SSH host key after the server was reinstalled (owner or admin). */
export const HostKeyRepinRequest = z.object({
  hostKey: HostKeyFingerprint,
  /** Typed by the person: must be the system's name. */
  systemName: z.string().max(200),
});

export const UpsRequest = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(['nut', 'snmp']),
  settings: Settings,
  /** How often the agent reads this UPS (1–60 s); the hub's default when absent or null. */
  pollSeconds: z
    .number({ error: 'must be a number of seconds' })
    .int({ error: 'must be whole seconds' })
    .min(1, { error: 'must be 1 to 60 seconds' })
    .max(60, { error: 'must be 1 to 60 seconds' })
    .nullable()
    .optional(),
  /** How long power must stay back before it counts as back (0–120 min); the hub's default when absent or null. */
  stableMinutes: z
    .number({ error: 'must be a number of minutes' })
    .min(0, { error: 'must be 0 to 120 minutes' })
    .max(120, { error: 'must be 0 to 120 minutes' })
    .nullable()
    .optional(),
});

export const UpsShown = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['nut', 'snmp']),
  settings: Settings,
  pollSeconds: z.number().nullable(),
  stableMinutes: z.number().nullable(),
});

export const OutageRequest = z
  .object({
    startsAt: z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-12-12T08:00:00Z' }),
    endsAt: z.iso.datetime({ offset: true, error: 'must be a date and time such as 2026-12-12T16:00:00Z' }),
    note: z.string().trim().max(500).default(''),
  })
  // Not `end > start`: a time that is no instant at all is its own field's error, not endsAt's too.
  .refine((o) => !(Date.parse(o.endsAt) <= Date.parse(o.startsAt)), {
    error: 'must be after startsAt',
    path: ['endsAt'],
  });

export const Outage = z.object({ id: z.string(), startsAt: Timestamp, endsAt: Timestamp, note: z.string() });

export const PowerEvent = z.object({ id: z.string(), at: Timestamp, kind: z.string(), message: z.string() });

export const PowerLogLine = z.object({
  at: Timestamp,
  runId: z.string(),
  kind: z.string(),
  level: z.string(),
  message: z.string(),
  systemId: z.string().nullable(),
  trigger: z.string().nullable(),
});

export const PowerNow = z.object({
  state: z.enum(['online', 'on-battery', 'low-battery', 'unknown']),
  onBatterySince: Timestamp.nullable(),
  chargePercent: z.number().nullable(),
  runtimeSeconds: z.number().nullable(),
  loadPercent: z.number().nullable(),
  updatedAt: Timestamp,
  messages: z.array(z.string()),
});

export const PlanRequest = z.object({ plan: z.record(z.string(), z.unknown()) });

/** What the team and the client both see of a site's power. */
const PowerSummary = z.object({
  siteId: z.string(),
  now: PowerNow.nullable(),
  /** A planned outage window is open or starts within a day. */
  atRisk: z.boolean(),
  /** A UPS is watched and at least one system has a shutdown action: the plan can shut the site down. */
  protected: z.boolean(),
  /** When a shutdown or startup plan last ran at this site (by a power cut, an outage window or by hand). */
  lastRunAt: Timestamp.nullable(),
  outages: z.array(Outage),
  events: z.array(PowerEvent),
});

export const SitePower = PowerSummary.extend({
  view: z.literal('staff'),
  ups: z.array(UpsShown),
  /** The saved plan, or null (then `suggestedPlan` is the default from the systems' dependencies). */
  plan: z.record(z.string(), z.unknown()).nullable(),
  suggestedPlan: z.record(z.string(), z.unknown()),
  systems: z.array(SystemPower),
  log: z.array(PowerLogLine),
});
export type SitePower = z.infer<typeof SitePower>;

/** A client user's view: whether the site is protected and what happened, nothing of how machines are reached. */
export const ClientSitePower = PowerSummary.extend({
  view: z.literal('client'),
  upsNames: z.array(z.string()),
  /** Systems off because a plan shut them down, and since when. */
  shutDownByPlan: z.array(z.object({ systemName: z.string(), at: Timestamp })),
});
export type ClientSitePower = z.infer<typeof ClientSitePower>;

export const SitePowerView = z.discriminatedUnion('view', [SitePower, ClientSitePower]);
export type SitePowerView = z.infer<typeof SitePowerView>;

const DryRunStage = z.object({
  stage: z.string(),
  maxSeconds: z.number(),
  systems: z.array(z.object({ id: z.string(), name: z.string(), command: z.string() })),
});
export const PowerDryRun = z.object({
  shutdown: z.array(DryRunStage),
  startup: z.array(DryRunStage),
  shutdownMaxSeconds: z.number(),
  runtimeSeconds: z.number().nullable(),
  fits: z.boolean().nullable(),
  summary: z.string(),
});

export const ShutdownNowRequest = z.object({
  /** Typed by the person: must be the site's name. */
  siteName: z.string().max(200),
  /** A fresh password, or a second-factor code for users who have one. */
  password: z.string().max(1000).optional(),
  code: z.string().max(10).optional(),
});

export const PowerOrdered = z.object({ ordered: z.literal(true), agentConnected: z.boolean() });
