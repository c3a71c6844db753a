import type { CreatedShareLink, ShareLink } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleIncident } from '../incidents/access.js';
import { createShareLink, listShareLinks, revokeShareLink } from '../share-links/links.js';

/** A new secret link to an incident's report (staff); the URL is answered this once. */
export async function shareIncidentReport(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  publicUrl: string,
  expiresInDays: number | null,
): Promise<CreatedShareLink> {
  assertStaffWrite(actor);
  return change(ctx, actor, async (tx) => {
    const incident = await visibleIncident(tx.db, actor, incidentId);
    const made = await createShareLink(tx.db, {
      subjectType: 'incident_report',
      subjectId: incident.id,
      actorUserId: actor.userId,
      now: tx.now,
      expiresInDays,
    });
    await tx.audit({
      action: 'share_link.create',
      entityType: 'share_link',
      entityId: made.link.id,
      clientId: incident.client_id,
      summary: `Report of incident ${incident.number} shared by link`,
    });
    tx.emit({ entity: 'incident', id: incident.id, action: 'updated', clientId: incident.client_id });
    return { ...made.link, url: `${publicUrl.replace(/\/+$/, '')}${made.path}` };
  });
}

/** An incident's report links (staff), without their secrets. */
export async function incidentReportLinks(ctx: AppContext, actor: Actor, incidentId: string): Promise<ShareLink[]> {
  assertStaffWrite(actor);
  const incident = await visibleIncident(ctx.db.kysely, actor, incidentId);
  return listShareLinks(ctx.db.kysely, 'incident_report', incident.id);
}

/** Stops a report link working (staff); audited. */
export async function revokeReportLink(ctx: AppContext, actor: Actor, linkId: string): Promise<void> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const link = await revokeShareLink(tx.db, { id: linkId, actorUserId: actor.userId, now: tx.now });
    if (!link) throw notFound('The link');
    await tx.audit({
      action: 'share_link.revoke',
      entityType: 'share_link',
      entityId: link.id,
      clientId: null,
      summary: `Link to a ${link.subject_type.replace('_', ' ')} revoked`,
    });
  });
}
