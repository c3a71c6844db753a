import type { ClientUpdate, SendClientUpdateRequest, UpdateDraft } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { badInput } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import type { Actor } from '../auth/actor.js';
import { visibleIncident } from '../incidents/access.js';
import { draftUpdate } from './draft.js';
import { sendClientUpdate } from './send.js';

/** An update from an incident: to its client's contacts, and on its timeline. */
export async function sendIncidentUpdate(
  ctx: AppContext,
  actor: Actor,
  incidentId: string,
  input: SendClientUpdateRequest,
): Promise<ClientUpdate> {
  const incident = await visibleIncident(ctx.db.kysely, actor, incidentId);
  return sendClientUpdate(ctx, actor, { ...input, clientId: incident.client_id, incidentId: incident.id });
}

/** A template filled in for an incident (its title, its sites and their time zone) or for a client. */
export async function draftFor(
  ctx: AppContext,
  actor: Actor,
  input: { templateId: string; clientId?: string | undefined; incidentId?: string | undefined },
): Promise<UpdateDraft> {
  const db = ctx.db.kysely;
  const now = isoNow(ctx.clock);
  if (!input.incidentId) {
    if (!input.clientId) throw badInput({ clientId: 'is required without an incidentId' });
    return draftUpdate(db, actor, input.templateId, { clientId: input.clientId }, now);
  }
  const incident = await visibleIncident(db, actor, input.incidentId);
  if (input.clientId && input.clientId !== incident.client_id)
    throw badInput({ clientId: "is not the incident's client" });
  const sites = await db
    .selectFrom('incident_sites')
    .select('site_id')
    .where('incident_id', '=', incident.id)
    .orderBy('added_at')
    .execute();
  return draftUpdate(
    db,
    actor,
    input.templateId,
    { clientId: incident.client_id, siteIds: sites.map((s) => s.site_id), values: { incident: incident.title } },
    now,
  );
}
