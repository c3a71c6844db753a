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

export const AgentMessage = z.discriminatedUnion('type', [HelloMessage, ResultsMessage, StatusMessage]);
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
});

/** The complete set of checks the agent should run; replaces any earlier set. */
export const AssignMessage = z.object({ type: z.literal('assign'), checks: z.array(AssignedCheck) });

/** Batch `seq` (and every batch before it) is stored; the agent may delete it from disk. */
export const AckMessage = z.object({ type: z.literal('ack'), seq: z.number().int().nonnegative() });

/** Run this check now, outside its schedule. */
export const RunNowMessage = z.object({ type: z.literal('run'), checkId: z.string() });

export const HubErrorMessage = z.object({ type: z.literal('error'), code: z.string(), message: z.string() });

export const HubMessage = z.discriminatedUnion('type', [
  WelcomeMessage,
  AssignMessage,
  AckMessage,
  RunNowMessage,
  HubErrorMessage,
]);
export type HubMessage = z.infer<typeof HubMessage>;
