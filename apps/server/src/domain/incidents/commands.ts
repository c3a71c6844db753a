import type {
  AffectedRequest,
  CallRequest,
  ChangeIncidentRequest,
  IncidentDetail,
  NoteRequest,
  TimelineEntry,
} from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { conflict, forbidden } from '../../http/errors.js';
import { isoNow } from '../../lib/clock.js';
import { acknowledgeSubject } from '../alerts/lifecycle.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change } from '../change.js';
import { wakeOutbox } from '../escalation/ports.js';
import { affectedOf, assertColleague, visibleIncident } from './access.js';
import { describeCall, resolveCall } from './calls.js';
import { incidentDetail } from './queries.js';
import { addTimelineEntry, readTimelineEntry } from './timeline.js';

/** Acknowledge in one tap: stops the paging and tells the others who were paged. */
export async function acknowledgeIncident(ctx: AppContext, actor: Actor, id: string): Promise<IncidentDetail> {
  assertStaffWrite(actor);
  if (!actor.userId) throw forbidden('Only a person can acknowledge');
  const row = await visibleIncident(ctx.db.kysely, actor, id);
  if (row.status === 'resolved') throw conflict(`Incident #${row.number} is resolved: there is nothing to acknowledge`);
  const outcome = await acknowledgeSubject(
    ctx.db.kysely,
    { type: 'incident', id },
    actor.userId,
    'app',
    isoNow(ctx.clock),
  );
  if (outcome.acknowledged) {
    wakeOutbox(ctx.bus);
    ctx.bus.publish({ entity: 'incident', id, action: 'updated', clientId: row.client_id, at: isoNow(ctx.clock) });
  }
  return incidentDetail(ctx, actor, id);
}

/** Title, severity and owner, each change a line on the timeline. */
export async function changeIncident(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: ChangeIncidentRequest,
): Promise<IncidentDetail> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const before = await visibleIncident(tx.db, actor, id);
    const set: { title?: string; severity?: string; owner_user_id?: string | null } = {};
    const lines: Array<{ kind: 'owner' | 'severity' | 'note'; text: string }> = [];
    if (input.title !== undefined && input.title !== before.title) {
      set.title = input.title;
      lines.push({ kind: 'note', text: `Renamed: ${input.title}` });
    }
    if (input.severity !== undefined && input.severity !== before.severity) {
      set.severity = input.severity;
      lines.push({ kind: 'severity', text: `Severity: ${before.severity} → ${input.severity}` });
    }
    if (input.ownerUserId !== undefined && input.ownerUserId !== before.owner_user_id) {
      const name = input.ownerUserId ? await assertColleague(tx.db, input.ownerUserId, 'ownerUserId') : null;
      set.owner_user_id = input.ownerUserId;
      lines.push({ kind: 'owner', text: name ? `Owner: ${name}` : 'No owner now' });
    }
    if (!lines.length) return;
    await tx.db
      .updateTable('incidents')
      .set({ ...set, updated_at: tx.now })
      .where('id', '=', id)
      .execute();
    for (const line of lines)
      await addTimelineEntry(tx.db, {
        incidentId: id,
        kind: line.kind,
        at: tx.now,
        actorUserId: actor.userId,
        text: line.text,
      });
    await tx.audit({
      action: 'incident.update',
      entityType: 'incident',
      entityId: id,
      clientId: before.client_id,
      summary: `Incident #${before.number}: ${lines.map((l) => l.text).join('; ')}`,
      before: { title: before.title, severity: before.severity, ownerUserId: before.owner_user_id },
      after: set,
    });
    tx.emit({ entity: 'incident', id, action: 'updated', clientId: before.client_id });
  });
  return incidentDetail(ctx, actor, id);
}

/** The affected sites and systems, replaced as a whole (systems bring their sites). */
export async function setAffected(
  ctx: AppContext,
  actor: Actor,
  id: string,
  input: AffectedRequest,
): Promise<IncidentDetail> {
  assertStaffWrite(actor);
  await change(ctx, actor, async (tx) => {
    const row = await visibleIncident(tx.db, actor, id);
    const affected = await affectedOf(tx.db, row.client_id, input.siteIds, input.systemIds);
    const open = row.status === 'resolved' ? 0 : 1;
    await tx.db.deleteFrom('incident_sites').where('incident_id', '=', id).execute();
    await tx.db.deleteFrom('incident_systems').where('incident_id', '=', id).execute();
    if (affected.siteIds.length)
      await tx.db
        .insertInto('incident_sites')
        .values(affected.siteIds.map((site_id) => ({ incident_id: id, site_id, open, added_at: tx.now })))
        .execute();
    if (affected.systems.length)
      await tx.db
        .insertInto('incident_systems')
        .values(affected.systems.map((s) => ({ incident_id: id, system_id: s.id, added_at: tx.now })))
        .execute();
    const sites = affected.siteIds.length
      ? await tx.db.selectFrom('sites').select('name').where('id', 'in', affected.siteIds).orderBy('name').execute()
      : [];
    const text = `Affected: ${sites.map((s) => s.name).join(', ') || 'no site'}${affected.systems.length ? `; systems ${affected.systems.map((s) => s.name).join(', ')}` : ''}`;
    await addTimelineEntry(tx.db, {
      incidentId: id,
      kind: 'affected',
      at: tx.now,
      actorUserId: actor.userId,
      text,
      data: { siteIds: affected.siteIds, systemIds: affected.systems.map((s) => s.id) },
    });
    await tx.audit({
      action: 'incident.affected',
      entityType: 'incident',
      entityId: id,
      clientId: row.client_id,
      summary: `Incident #${row.number}: ${text}`,
    });
    tx.emit({ entity: 'incident', id, action: 'updated', clientId: row.client_id });
  });
  return incidentDetail(ctx, actor, id);
}

/** A note in one line from the phone. Answers the new line (not the whole incident: it may be long). */
export async function addNote(ctx: AppContext, actor: Actor, id: string, input: NoteRequest): Promise<TimelineEntry> {
  assertStaffWrite(actor);
  const entryId = await change(ctx, actor, async (tx) => {
    const row = await visibleIncident(tx.db, actor, id);
    const entry = await addTimelineEntry(tx.db, {
      incidentId: id,
      kind: 'note',
      at: tx.now,
      actorUserId: actor.userId,
      text: input.text,
      internal: input.internal,
    });
    tx.emit({ entity: 'incident', id, action: 'updated', clientId: row.client_id });
    return entry;
  });
  return readTimelineEntry(ctx.db.kysely, entryId);
}

/** Another call about the incident (the client rang back, the power company called). Answers the new line. */
export async function logCall(ctx: AppContext, actor: Actor, id: string, input: CallRequest): Promise<TimelineEntry> {
  assertStaffWrite(actor);
  const entryId = await change(ctx, actor, async (tx) => {
    const row = await visibleIncident(tx.db, actor, id);
    const call = await resolveCall(tx.db, row.client_id, input, tx.now);
    const entry = await addTimelineEntry(tx.db, {
      incidentId: id,
      kind: 'call',
      at: call.at,
      actorUserId: actor.userId,
      text: describeCall(call, input.text),
      refType: call.contactId ? 'contact' : null,
      refId: call.contactId,
      data: call,
    });
    tx.emit({ entity: 'incident', id, action: 'updated', clientId: row.client_id });
    return entry;
  });
  return readTimelineEntry(ctx.db.kysely, entryId);
}
