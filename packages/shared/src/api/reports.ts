import { z } from 'zod';
import { Timestamp } from '../common.js';
import { DisplaySettings } from './display.js';
import { IncidentResponse, IncidentSeverity, IncidentStatus, TimelineKind } from './incidents.js';

/**
 * An incident's report, as the client reads it (in the app, or by a shared link): what happened, what was
 * done and when, the state of every affected system now, and the response times. Nothing internal: who was
 * paged, photos and alert ids stay in the app.
 */
export const IncidentReport = z.object({
  number: z.number().int(),
  title: z.string(),
  clientName: z.string(),
  summary: z.string(),
  status: IncidentStatus,
  severity: IncidentSeverity,
  sites: z.array(z.object({ name: z.string(), timeZone: z.string() })),
  /** The zone the report's times are written in: the first affected site's, else UTC. */
  timeZone: z.string(),
  openedAt: Timestamp,
  openedBy: z.string().nullable(),
  acknowledgedAt: Timestamp.nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: Timestamp.nullable(),
  resolvedBy: z.string().nullable(),
  response: IncidentResponse,
  systems: z.array(z.object({ name: z.string(), kind: z.string(), site: z.string(), state: z.string() })),
  timeline: z.array(z.object({ at: Timestamp, kind: TimelineKind, who: z.string().nullable(), text: z.string() })),
  generatedAt: Timestamp,
  /** The firm's language and clock, so a reader without an account sees dates as the firm writes them. */
  display: DisplaySettings,
});
export type IncidentReport = z.infer<typeof IncidentReport>;
