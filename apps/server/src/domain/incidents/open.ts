import type { IncidentDetail, OpenIncidentRequest } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import { badInput, conflict } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import { acknowledgeSubject } from '../alerts/lifecycle.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { type ChangeTx, change } from '../change.js';
import { startEscalation } from '../escalation/engine.js';
import { wakeOutbox } from '../escalation/ports.js';
import { visibleClient } from '../register/access.js';
import { affectedOf } from './access.js';
import { incidentOfAlert, linkAlert } from './membership.js';
import { incidentDetail } from './queries.js';
import { describeCall, type CallFacts, resolveCall } from './calls.js';
import { termsOf } from './terms.js';
import { addTimelineEntry } from './timeline.js';

/** The next incident number of the hub (unique; a clash between two processes is retried by the caller). */
async function nextNumber(trx: Kdb): Promise<number> {
  const row = await trx
    .selectFrom('incidents')
    .select((eb) => eb.fn.max('number').as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

/**
 * Opens an incident — from a phone call, by hand, or promoted from an alert — in one transaction: the row, its
 * sites and systems, the call and the opening on the timeline, and the paging through the client's escalation
 * policy (unless the person opening it has it in hand). Answers the incident as its screen shows it.
 */
export async function openIncident(ctx: AppContext, actor: Actor, input: OpenIncidentRequest): Promise<IncidentDetail> {
  assertStaffWrite(actor);
  const id = await retryOnNumberClash(() => change(ctx, actor, (tx) => openIncidentIn(tx, input)));
  wakeOutbox(ctx.bus);
  return incidentDetail(ctx, actor, id);
}

/** Runs `work` again (up to 3 times) when two processes took the same incident number at once. */
export async function retryOnNumberClash<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      // The unique index refused one of two equal numbers; the next try takes the next number.
      if (
        attempt < 3 &&
        /unique|duplicate/i.test(String((error as Error).message)) &&
        /number/i.test(String((error as Error).message))
      )
        continue;
      throw error;
    }
  }
}

/** Opens an incident inside the caller's change (its transaction); answers its id. Wake the outbox after. */
export async function openIncidentIn(tx: ChangeTx, input: OpenIncidentRequest): Promise<string> {
  const { db, now, actor } = tx;
  const client = await visibleClient(db, actor, input.clientId).catch(() => {
    throw badInput({ clientId: 'is not a known client' });
  });
  const alert = input.fromAlertId
    ? await db.selectFrom('alerts').selectAll().where('id', '=', input.fromAlertId).executeTakeFirst()
    : undefined;
  if (input.fromAlertId && (!alert || alert.client_id !== client.id))
    throw badInput({ fromAlertId: 'is not an alert of this client' });
  if (alert) {
    const earlier = await incidentOfAlert(db, alert.id);
    if (earlier) throw conflict(`The alert is already part of incident #${earlier.number}`);
  }
  const affected = await affectedOf(
    db,
    client.id,
    [...input.siteIds, ...(alert?.site_id && !input.siteIds.includes(alert.site_id) ? [alert.site_id] : [])],
    [...input.systemIds, ...(alert?.system_id && !input.systemIds.includes(alert.system_id) ? [alert.system_id] : [])],
  );
  const call: CallFacts | null = input.call ? await resolveCall(db, client.id, input.call, now) : null;
  const id = newId();
  const number = await nextNumber(db);
  const title = input.title ?? firstLine(input.summary);
  const handled = input.acknowledge || alert !== undefined;
  const userId = actor.userId;
  await db
    .insertInto('incidents')
    .values({
      id,
      number,
      client_id: client.id,
      title,
      summary: input.summary,
      status: 'investigating',
      severity: input.severity,
      source: call ? 'call' : alert ? 'alert' : 'person',
      owner_user_id: handled ? userId : null,
      terms_json: JSON.stringify(termsOf(client.contract_json)),
      opened_at: call?.at && call.at < now ? call.at : now,
      opened_by: userId,
      acknowledged_at: null,
      acknowledged_by: null,
      status_at: now,
      status_by: userId,
      resolved_at: null,
      resolved_by: null,
      updated_at: now,
      timeline_seq: 0,
    })
    .execute();
  if (affected.siteIds.length)
    await db
      .insertInto('incident_sites')
      .values(affected.siteIds.map((site_id) => ({ incident_id: id, site_id, open: 1, added_at: now })))
      .execute();
  if (affected.systems.length)
    await db
      .insertInto('incident_systems')
      .values(affected.systems.map((s) => ({ incident_id: id, system_id: s.id, added_at: now })))
      .execute();
  if (call)
    await addTimelineEntry(db, {
      incidentId: id,
      kind: 'call',
      at: call.at,
      actorUserId: userId,
      text: describeCall(call, input.summary),
      refType: call.contactId ? 'contact' : null,
      refId: call.contactId,
      data: call,
    });
  await addTimelineEntry(db, {
    incidentId: id,
    kind: 'opened',
    at: now,
    actorUserId: userId,
    text: `Incident #${number} opened (${input.severity}): ${title}`,
  });
  if (alert) {
    await linkAlert(db, id, alert, now);
    // Whoever promotes the alert has it in hand: it stops paging, and so does not the incident start.
    if (userId && alert.state === 'open')
      await acknowledgeSubject(db, { type: 'alert', id: alert.id }, userId, 'incident', now);
  }
  if (handled && userId) await acknowledgeSubject(db, { type: 'incident', id }, userId, 'app', now);
  else
    await startPaging(db, {
      id,
      number,
      title,
      summary: input.summary,
      clientId: client.id,
      clientName: client.name,
      contractJson: client.contract_json,
      severity: input.severity,
      siteIds: affected.siteIds,
      now,
    });
  await tx.audit({
    action: 'incident.open',
    entityType: 'incident',
    entityId: id,
    clientId: client.id,
    summary: `Incident #${number} "${title}" opened`,
    after: {
      title,
      severity: input.severity,
      siteIds: affected.siteIds,
      systemIds: affected.systems.map((s) => s.id),
    },
  });
  tx.emit({ entity: 'incident', id, action: 'created', clientId: client.id });
  return id;
}

interface PagingFacts {
  id: string;
  number: number;
  title: string;
  summary: string;
  clientId: string;
  clientName: string;
  contractJson: string;
  severity: string;
  siteIds: string[];
  now: string;
}

/** Pages through the client's escalation policy (the hub's default when the contract names none). */
async function startPaging(db: Kdb, facts: PagingFacts): Promise<void> {
  const contract = JSON.parse(facts.contractJson) as { escalationPolicyId?: string | null };
  const site = facts.siteIds[0]
    ? await db.selectFrom('sites').select('name').where('id', '=', facts.siteIds[0]).executeTakeFirst()
    : undefined;
  await startEscalation(db, {
    subject: { type: 'incident', id: facts.id },
    policyId: contract.escalationPolicyId ?? null,
    message: {
      title: `Incident #${facts.number}: ${facts.title}`,
      body: facts.summary,
      client: facts.clientName,
      ...(site ? { site: site.name } : {}),
      since: facts.now,
    },
    urgency: facts.severity === 'minor' ? 'low' : 'high',
    now: facts.now,
  });
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0]!.trim();
  return line.length > 120 ? `${line.slice(0, 117)}…` : line;
}
