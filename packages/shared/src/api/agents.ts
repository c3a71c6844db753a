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
  /** The command to run on the machine at the site. */
  command: z.string(),
});
export type AgentEnrolment = z.infer<typeof AgentEnrolment>;
