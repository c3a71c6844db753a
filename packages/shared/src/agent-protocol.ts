import { z } from 'zod';

/**
 * The site agent's protocol. The agent dials out to the hub: `GET /api/agent/connect` upgraded to a
 * WebSocket with `Authorization: Bearer <agent token>`; every frame is one JSON message below.
 * Enrolment first exchanges a one-time code for that token: `POST /api/agent/enrol`.
 */

export const AGENT_PROTOCOL_VERSION = 1;

export const EnrolRequest = z.object({
  code: z.string().min(10).max(200),
  hostname: z.string().max(255),
  version: z.string().max(50),
});
export const EnrolResponse = z.object({
  agentId: z.string(),
  siteId: z.string(),
  /** The agent's long-lived token; stored in its data directory, only its hash on the hub. */
  token: z.string(),
});

export const ResultStatus = z.enum(['up', 'degraded', 'down']);

export const AgentResult = z.object({
  checkId: z.string(),
  /** When the check ran, on the agent (UTC ISO); kept as is when replayed after a link outage. */
  at: z.string(),
  status: ResultStatus,
  latencyMs: z.number().nullable(),
  message: z.string().max(1000),
});
export type AgentResult = z.infer<typeof AgentResult>;

// ---- agent → hub ----

export const HelloMessage = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  version: z.string().max(50),
  hostname: z.string().max(255),
  uptimeS: z.number().int().nonnegative(),
  /** Optional parts of the protocol this agent speaks (e.g. "power"); older agents send none. */
  features: z.array(z.string().max(50)).max(20).optional(),
});

/** A batch of results. `seq` increases by one per batch and survives agent restarts (it is on disk). */
export const ResultsMessage = z.object({
  type: z.literal('results'),
  seq: z.number().int().positive(),
  results: z.array(AgentResult).max(1000),
});

export const StatusMessage = z.object({
  type: z.literal('status'),
  uptimeS: z.number().int().nonnegative(),
  /** Results waiting on disk to be sent. */
  backlog: z.number().int().nonnegative(),
});

// ---- power (feature "power": only between an agent and a hub that both announce it) ----

export const PowerReadingWire = z.object({
  state: z.enum(['ok', 'waiting', 'stale', 'driver-not-connected', 'unreachable', 'error']),
  power: z.enum(['online', 'on-battery', 'unknown']),
  lowBattery: z.boolean(),
  forcedShutdown: z.boolean(),
  chargePercent: z.number().nullable(),
  runtimeSeconds: z.number().nullable(),
  loadPercent: z.number().nullable(),
  flags: z.array(z.string().max(50)).max(50),
  message: z.string().max(1000),
});
export type PowerReadingWire = z.infer<typeof PowerReadingWire>;

/** The site's UPS readings, sent when one changes (and every minute). */
export const PowerStateMessage = z.object({
  type: z.literal('power'),
  at: z.string(),
  readings: z.array(z.object({ upsId: z.string(), reading: PowerReadingWire })).max(50),
});

export const PowerLogEntry = z.object({
  at: z.string(),
  /** The run this line belongs to (a shutdown and its startup share one run). */
  runId: z.string().max(100),
  kind: z.enum(['started', 'log', 'command', 'maintenance-on', 'maintenance-off', 'phase']),
  level: z.enum(['info', 'warning']),
  message: z.string().max(2000),
  systemId: z.string().max(100).optional(),
  /** The run's phase after this line (running, waiting-for-power, down, finished, stopped). */
  phase: z.string().max(50).optional(),
  /** Who or what started the run: "trigger: on battery for 5 min", "user Dana". */
  trigger: z.string().max(500).optional(),
  /** SSH: the host key of `systemId` the agent pinned on first use (SHA256:…), for the hub to keep. */
  hostKey: z.string().max(200).optional(),
  /** SSH: a different key `systemId` offered, refused (nothing was sent); for an owner to compare and re-pin. */
  refusedHostKey: z.string().max(200).optional(),
});
export type PowerLogEntry = z.infer<typeof PowerLogEntry>;

/** The plan runner's log, in numbered batches kept on disk until the hub acknowledges them (power-ack). */
export const PowerLogMessage = z.object({
  type: z.literal('power-log'),
  seq: z.number().int().positive(),
  entries: z.array(PowerLogEntry).max(500),
});

export const AgentMessage = z.discriminatedUnion('type', [
  HelloMessage,
  ResultsMessage,
  StatusMessage,
  PowerStateMessage,
  PowerLogMessage,
]);
export type AgentMessage = z.infer<typeof AgentMessage>;

// ---- hub → agent ----

export const AssignedCheck = z.object({
  id: z.string(),
  kind: z.string(),
  /** Parameters including secrets, decrypted for the agent; sent only over the agent's own link. */
  params: z.record(z.string(), z.unknown()),
  intervalS: z.number().int().positive(),
  timeoutMs: z.number().int().positive(),
});
export type AssignedCheck = z.infer<typeof AssignedCheck>;

export const WelcomeMessage = z.object({
  type: z.literal('welcome'),
  agentId: z.string(),
  siteId: z.string(),
  /** The highest batch the hub has stored: the agent drops everything up to it from its disk buffer. */
  ackedSeq: z.number().int().nonnegative(),
  /** Optional parts of the protocol this hub speaks; older hubs send none. */
  features: z.array(z.string().max(50)).max(20).optional(),
});

/** The complete set of checks the agent should run; replaces any earlier set. */
export const AssignMessage = z.object({ type: z.literal('assign'), checks: z.array(AssignedCheck) });

/** Batch `seq` (and every batch before it) is stored; the agent may delete it from disk. */
export const AckMessage = z.object({ type: z.literal('ack'), seq: z.number().int().nonnegative() });

/** Run this check now, outside its schedule. */
export const RunNowMessage = z.object({ type: z.literal('run'), checkId: z.string() });

export const PowerConfigUps = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['nut', 'snmp']),
  /** NUT: host, port, ups, username, password; SNMP: host, port, auth, mib. Secrets included. */
  settings: z.record(z.string(), z.unknown()),
  /** How often to read this UPS; the message's pollMs when absent (older hubs). */
  pollMs: z.number().int().min(500).max(60_000).optional(),
});

export const PowerConfigSystem = z.object({
  id: z.string(),
  name: z.string(),
  /** { kind, settings } with secrets; validated by the agent against packages/power's actions. */
  shutdown: z.object({ kind: z.string(), settings: z.record(z.string(), z.unknown()) }).nullable(),
  startup: z.object({ kind: z.string(), settings: z.record(z.string(), z.unknown()) }).nullable(),
  /** The system's checks: all down = verified down; all up = verified up. */
  checks: z.array(z.object({ kind: z.string(), params: z.record(z.string(), z.unknown()) })),
});

/** Everything the agent needs to watch the power and run the site's plan by itself. Replaces the last one. */
export const PowerConfigMessage = z.object({
  type: z.literal('power-config'),
  pollMs: z.number().int().min(500).max(60_000),
  ups: z.array(PowerConfigUps),
  /** The plan (packages/power's powerPlan); null when the site has none. */
  plan: z.record(z.string(), z.unknown()).nullable(),
  systems: z.array(PowerConfigSystem),
  windows: z.array(z.object({ id: z.string(), startsAt: z.string(), endsAt: z.string(), note: z.string() })),
});
export type PowerConfigMessage = z.infer<typeof PowerConfigMessage>;

/** A person ordered it from the hub: shut the site down now, start it up, or confirm a manual step. */
export const PowerCommandMessage = z.object({
  type: z.literal('power-command'),
  command: z.enum(['shutdown', 'startup', 'confirm']),
  by: z.string().max(200),
  systemId: z.string().optional(),
});

/** Power log batch `seq` (and every one before it) is stored. */
export const PowerAckMessage = z.object({ type: z.literal('power-ack'), seq: z.number().int().nonnegative() });

export const HubErrorMessage = z.object({ type: z.literal('error'), code: z.string(), message: z.string() });

export const HubMessage = z.discriminatedUnion('type', [
  WelcomeMessage,
  AssignMessage,
  AckMessage,
  RunNowMessage,
  HubErrorMessage,
  PowerConfigMessage,
  PowerCommandMessage,
  PowerAckMessage,
]);
export type HubMessage = z.infer<typeof HubMessage>;
