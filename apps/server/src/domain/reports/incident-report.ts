import type { IncidentReport } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { notFound } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import { firmDisplay } from '../accounts/display.js';
import type { Actor } from '../auth/actor.js';
import { hiddenFrom, incidentDetail } from '../incidents/queries.js';
import { resolveShareLink } from '../share-links/links.js';

/**
 * The report of an incident the actor may see (staff, or the client's own users). It is the client's page
 * whoever opens it: its timeline holds only what the client may see (no one paged, nothing internal).
 */
export async function incidentReport(ctx: AppContext, actor: Actor, incidentId: string): Promise<IncidentReport> {
  const hidden = hiddenFrom({ ...actor, role: 'client' });
  const [detail, display] = await Promise.all([
    incidentDetail(ctx, actor, incidentId, { timeline: 'all' }),
    firmDisplay(ctx.db.kysely),
  ]);
  const siteName = new Map(detail.sites.map((s) => [s.id, s.name]));
  return {
    number: detail.number,
    title: detail.title,
    clientName: detail.clientName,
    summary: detail.summary,
    status: detail.status,
    severity: detail.severity,
    sites: detail.sites.map((s) => ({ name: s.name, timeZone: s.timeZone })),
    timeZone: detail.sites[0]?.timeZone ?? 'UTC',
    openedAt: detail.openedAt,
    openedBy: detail.openedBy?.name ?? null,
    acknowledgedAt: detail.acknowledgedAt,
    acknowledgedBy: detail.acknowledgedBy?.name ?? null,
    resolvedAt: detail.resolvedAt,
    resolvedBy: detail.resolvedBy?.name ?? null,
    response: detail.response,
    systems: detail.systems.map((s) => ({
      name: s.name,
      kind: s.kind,
      site: siteName.get(s.siteId) ?? '',
      state: s.state,
    })),
    timeline: detail.timeline
      .filter((e) => !hidden.kinds.includes(e.kind) && !(hidden.internal && e.internal))
      .map((e) => ({ at: e.at, kind: e.kind, who: e.actor?.name ?? null, text: e.text })),
    generatedAt: isoNow(ctx.clock),
    display,
  };
}

/**
 * The report a shared link opens, read as the incident's own client would (read-only, that firm only);
 * a wrong, revoked or other-kind link is "not found", whatever the reason.
 */
export async function sharedIncidentReport(ctx: AppContext, token: string): Promise<IncidentReport> {
  const link = await resolveShareLink(ctx.db.kysely, token, 'incident_report', isoNow(ctx.clock));
  const incident = link
    ? await ctx.db.kysely
        .selectFrom('incidents')
        .select(['id', 'client_id'])
        .where('id', '=', link.subjectId)
        .executeTakeFirst()
    : undefined;
  if (!incident) throw notFound('The report');
  const reader: Actor = {
    type: 'system',
    id: null,
    userId: null,
    role: 'client',
    clientId: incident.client_id,
    label: 'shared report link',
  };
  return incidentReport(ctx, reader, incident.id);
}
