import type { Kdb } from '../../db/database.js';
import type { AlertsTable } from '../../db/schema.js';
import { addTimelineEntry } from './timeline.js';

/**
 * The open (not resolved) incident a site belongs to, the latest when there are several: alerts of the site
 * join it, power work and checklist runs write their lines to it.
 */
export async function openIncidentOfSite(db: Kdb, siteId: string): Promise<string | null> {
  const row = await db
    .selectFrom('incident_sites')
    .innerJoin('incidents', 'incidents.id', 'incident_sites.incident_id')
    .select('incidents.id')
    .where('incident_sites.site_id', '=', siteId)
    .where('incident_sites.open', '=', 1)
    .orderBy('incidents.opened_at', 'desc')
    .executeTakeFirst();
  return row?.id ?? null;
}

/** The incident an alert has joined, if any (resolved or not). */
export async function incidentOfAlert(
  db: Kdb,
  alertId: string,
): Promise<{ id: string; number: number; status: string } | null> {
  const row = await db
    .selectFrom('incident_alerts')
    .innerJoin('incidents', 'incidents.id', 'incident_alerts.incident_id')
    .select(['incidents.id', 'incidents.number', 'incidents.status'])
    .where('incident_alerts.alert_id', '=', alertId)
    .executeTakeFirst();
  return row ?? null;
}

/** Puts an alert on an incident: linked, and a line on the timeline. */
export async function linkAlert(
  trx: Kdb,
  incidentId: string,
  alert: AlertsTable,
  now: string,
  again = false,
): Promise<void> {
  const linked = await trx
    .selectFrom('incident_alerts')
    .select('incident_id')
    .where('alert_id', '=', alert.id)
    .executeTakeFirst();
  if (!linked)
    await trx
      .insertInto('incident_alerts')
      .values({ alert_id: alert.id, incident_id: incidentId, joined_at: now })
      .execute();
  await addTimelineEntry(trx, {
    incidentId,
    kind: 'alert',
    at: now,
    actorUserId: null,
    text: `${again ? 'Again: ' : ''}${alert.title}: ${alert.reason}`,
    refType: 'alert',
    refId: alert.id,
    data: { criticality: alert.criticality },
  });
}

/**
 * An alert that is about to page: when its site has an open incident (or it already belongs to one that is
 * open), it joins that incident instead of paging again — the people on the incident already have it.
 * Answers the incident's number, or null when the alert should page as usual.
 */
export async function joinOpenIncident(trx: Kdb, alert: AlertsTable, now: string): Promise<number | null> {
  const earlier = await incidentOfAlert(trx, alert.id);
  let incidentId = earlier && earlier.status !== 'resolved' ? earlier.id : null;
  if (!incidentId && alert.site_id) incidentId = await openIncidentOfSite(trx, alert.site_id);
  if (!incidentId) return null;
  if (earlier && earlier.id !== incidentId)
    await trx.deleteFrom('incident_alerts').where('alert_id', '=', alert.id).execute();
  await linkAlert(trx, incidentId, alert, now, earlier?.id === incidentId);
  const row = await trx.selectFrom('incidents').select('number').where('id', '=', incidentId).executeTakeFirstOrThrow();
  return row.number;
}

/** A joined alert resolved: a recovery (or a person's resolution) on the incident's timeline. */
export async function noteAlertResolved(
  trx: Kdb,
  alert: AlertsTable,
  by: { userId: string | null; reason: string },
  now: string,
): Promise<void> {
  const incident = await incidentOfAlert(trx, alert.id);
  if (!incident || incident.status === 'resolved') return;
  await addTimelineEntry(trx, {
    incidentId: incident.id,
    kind: 'recovery',
    at: now,
    actorUserId: by.userId,
    text: by.userId ? `${alert.title}: resolved by hand` : `${alert.title}: recovered (${by.reason})`,
    refType: 'alert',
    refId: alert.id,
  });
}
