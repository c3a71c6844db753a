import { z } from 'zod';
import { Id, Name, Timestamp } from '../common.js';

// ---- Site agents ------------------------------------------------------------

/** pending: not enrolled yet (or rotated); online: heard from lately; unreachable: silent too long; revoked. */
export const AgentStatus = z.enum(['pending', 'online', 'unreachable', 'revoked']);
export type AgentStatus = z.infer<typeof AgentStatus>;

export const Agent = z.object({
  id: Id,
  clientId: Id,
  siteId: Id,
  siteName: z.string(),
  name: z.string(),
  status: AgentStatus,
  statusSince: Timestamp,
  lastSeenAt: Timestamp.nullable(),
  version: z.string().nullable(),
  hostname: z.string().nullable(),
  uptimeS: z.number().int().nullable(),
  /** Results waiting on the agent's disk, as it last reported. */
  backlog: z.number().int().nullable(),
  /** Its version is older than the agent this hub serves (/agent/version): run the install command again. */
  outdated: z.boolean(),
  enrolledAt: Timestamp.nullable(),
  /** When the outstanding enrolment code stops working; null once used. */
  enrolExpiresAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
  /** Checks this agent runs. */
  checkCount: z.number().int(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Agent = z.infer<typeof Agent>;

export const AgentList = z.object({ items: z.array(Agent) });
export const AgentListQuery = z.object({ siteId: Id.optional(), clientId: Id.optional() });

export const CreateAgentRequest = z.strictObject({ siteId: Id, name: Name });

/** The answer to creating or rotating an agent: the one-time code is shown once and never again. */
export const AgentEnrolment = z.object({
  agent: Agent,
  enrolCode: z.string(),
  enrolExpiresAt: Timestamp,
  /** The command to run on a Linux machine at the site: downloads, installs and enrols the agent. */
  command: z.string(),
  /** The same with Node.js 20+ on any system (Windows too), after downloading the bundle from the hub. */
  nodeCommand: z.string(),
  /** The hub's address in both commands: AFTERHOURS_PUBLIC_URL, or the address the request came to. */
  hubUrl: z.string(),
  /** Why the office may not reach `hubUrl` (not configured, or "this machine"); null when it looks right. */
  hubUrlWarning: z.string().nullable(),
});
export type AgentEnrolment = z.infer<typeof AgentEnrolment>;
