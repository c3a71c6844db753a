import type { ChangeEvent, CreatedShareLink, ShareLink, ShareSubjectType } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { notFound } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { visibleIncident } from '../incidents/access.js';
import { createShareLink, listShareLinks, revokeShareLink } from '../share-links/links.js';

/** What a kind of report link opens: the link kind, and the access check that finds its subject. */
export interface ReportSubject {
  kind: ShareSubjectType;
  /** The change event a new link announces on the subject. */
  entity: ChangeEvent['entity'];
  /** The subject if the actor may see it (404 otherwise), its firm, and how the audit log names its report. */
  find(db: Kdb, actor: Actor, id: string): Promise<{ id: string; clientId: string; report: string }>;
}

/** A subject's report links (staff), without their secrets, and a new one whose URL is answered this once. */
export function reportLinks(subject: ReportSubject) {
  return {
    async list(ctx: AppContext, actor: Actor, subjectId: string): Promise<ShareLink[]> {
      assertStaffWrite(actor);
      const found = await subject.find(ctx.db.kysely, actor, subjectId);
      return listShareLinks(ctx.db.kysely, subject.kind, found.id);
    },

    async make(
      ctx: AppContext,
      actor: Actor,
      subjectId: string,
      publicUrl: string,
      expiresInDays: number | null,
    ): Promise<CreatedShareLink> {
      assertStaffWrite(actor);
      return change(ctx, actor, async (tx) => {
        const found = await subject.find(tx.db, actor, subjectId);
        const made = await createShareLink(tx.db, {
          subjectType: subject.kind,
          subjectId: found.id,
          actorUserId: actor.userId,
          now: tx.now,
          expiresInDays,
        });
        await tx.audit({
          action: 'share_link.create',
          entityType: 'share_link',
          entityId: made.link.id,
          clientId: found.clientId,
          summary: `${found.report} shared by link`,
        });
        tx.emit({ entity: subject.entity, id: found.id, action: 'updated', clientId: found.clientId });
        return { ...made.link, url: `${publicUrl.replace(/\/+$/, '')}${made.path}` };
      });
    },
  };
}

export const incidentReportLinks = reportLinks({
  kind: 'incident_report',
  entity: 'incident',
  async find(db, actor, id) {
    const incident = await visibleIncident(db, actor, id);
    return { id: incident.id, clientId: incident.client_id, report: `Report of incident ${incident.number}` };
  },
});

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
