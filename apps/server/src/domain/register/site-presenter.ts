import type { Site } from '@afterhours/shared';
import type { SitesTable } from '../../db/schema.js';

export type SiteWithClient = SitesTable & { client_name: string };

export function presentSite(row: SiteWithClient, systemCount: number): Site {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    name: row.name,
    address: row.address,
    timeZone: row.time_zone,
    notes: row.notes,
    archivedAt: row.archived_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    systemCount,
  };
}

/** What the audit log keeps of a site. */
export function auditableSite(row: SitesTable) {
  return {
    clientId: row.client_id,
    name: row.name,
    address: row.address,
    timeZone: row.time_zone,
    notes: row.notes,
    archivedAt: row.archived_at,
  };
}
