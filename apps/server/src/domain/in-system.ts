/** The names a check or heartbeat is read with: its system's, its site's (and the site's time zone), its client's. */
export interface InSystemRow {
  system_id: string;
  site_id: string;
  client_id: string;
  system_name: string;
  site_name: string;
  client_name: string;
  site_time_zone: string;
}

/** Where a check or heartbeat sits, as the API shows it (the shared schema's `inSystem` fields). */
export function inSystemOf(row: InSystemRow) {
  return {
    systemId: row.system_id,
    siteId: row.site_id,
    clientId: row.client_id,
    systemName: row.system_name,
    siteName: row.site_name,
    clientName: row.client_name,
    timeZone: row.site_time_zone,
  };
}
