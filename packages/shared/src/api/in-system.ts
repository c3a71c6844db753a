import { z } from 'zod';
import { Id } from '../common.js';

/**
 * What a check and a heartbeat both say about where they sit: their system, its site and client (ids and
 * names), and the site's time zone. Spread into their schemas.
 */
export const inSystem = {
  systemId: Id,
  siteId: Id,
  clientId: Id,
  systemName: z.string(),
  siteName: z.string(),
  clientName: z.string(),
  timeZone: z.string().describe('The site’s time zone, to show times as the office sees them'),
};

/** A page of checks or heartbeats, filtered by client, site or system (each list adds its state filter). */
export const InSystemListQuery = z.object({
  clientId: Id.optional(),
  siteId: Id.optional(),
  systemId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  cursor: z.string().max(200).optional(),
});
