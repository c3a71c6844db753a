import type { ClientUpdate, Message } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import type { ClientUpdateRecipientsTable } from '../../db/schema.js';
import { badInput } from '../../http/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor } from '../auth/actor.js';
import { assertStaffWrite } from '../auth/policy.js';
import { change, type ChangeTx } from '../change.js';
import { addTimelineEntry } from '../incidents/timeline.js';
import { sendToAddress } from '../notify/page.js';
import { wakeOutbox } from '../notify/wake.js';
import { visibleClient } from '../register/access.js';
import { loadUpdates } from './queries.js';
import { type PlannedRecipient, planRecipient, withoutRepeats } from './recipients.js';

export interface ClientUpdateInput {
  clientId: string;
  subject: string;
  body: string;
  incidentId?: string | null;
  checklistRunId?: string | null;
  /** Only these contacts of the client; by default every contact who receives incident updates. */
  contactIds?: string[] | undefined;
}

/** An SMS carries the text itself (the subject is for e-mail), cut to what one or two texts hold. */
const SMS_MAX = 300;

/**
 * Sends an update to a client's contacts: the `client_updates` row, one recipient row and one outbox
 * message each (e-mail or SMS, see recipients.ts), audited, in one transaction; the outbox then sends it
 * and its rows carry each recipient's delivery state. Staff only.
 */
export async function sendClientUpdate(ctx: AppContext, actor: Actor, input: ClientUpdateInput): Promise<ClientUpdate> {
  assertStaffWrite(actor);
  const id = await change(ctx, actor, (tx) => queueClientUpdate(tx, input));
  wakeOutbox(ctx.bus);
  const [update] = await loadUpdates(ctx.db.kysely, { ids: [id] });
  return update!;
}

/** The writes of sendClientUpdate, inside a change the caller is making (a checklist run's report, say). */
export async function queueClientUpdate(tx: ChangeTx, input: ClientUpdateInput): Promise<string> {
  const client = await visibleClient(tx.db, tx.actor, input.clientId);
  const recipients = withoutRepeats(await recipientsFor(tx, client.id, input.contactIds));
  if (!recipients.some((r) => r.channel))
    throw badInput({
      contactIds: recipients.length
        ? `none of these contacts can be reached (${recipients.map((r) => `${r.name}: ${r.skipped}`).join('; ')})`
        : `${client.name} has no contact who receives incident updates; add one on the client's page`,
    });
  const id = newId();
  await tx.db
    .insertInto('client_updates')
    .values({
      id,
      client_id: client.id,
      incident_id: input.incidentId ?? null,
      checklist_run_id: input.checklistRunId ?? null,
      subject: input.subject,
      body: input.body,
      sent_by: tx.actor.userId,
      sent_at: tx.now,
    })
    .execute();
  for (const r of recipients) {
    if (!r.channel || !r.to) continue;
    await sendToAddress(tx.db, {
      kind: r.channel,
      address: r.to,
      subject: { type: 'client_update', id },
      round: 'send',
      message: messageFor(r.channel, input),
      now: tx.now,
    });
  }
  const outbox = await tx.db
    .selectFrom('outbox')
    .select(['id', 'kind', 'address'])
    .where('subject_type', '=', 'client_update')
    .where('subject_id', '=', id)
    .execute();
  const outboxOf = new Map(outbox.map((o) => [`${o.kind}:${o.address?.toLowerCase()}`, o.id]));
  const rows: ClientUpdateRecipientsTable[] = recipients.map((r, position) => ({
    id: newId(),
    update_id: id,
    position,
    contact_id: r.contactId,
    name: r.name,
    channel: r.channel,
    address: r.to,
    outbox_id: r.channel && r.to ? (outboxOf.get(`${r.channel}:${r.to.toLowerCase()}`) ?? null) : null,
    skipped: r.skipped,
  }));
  await tx.db.insertInto('client_update_recipients').values(rows).execute();
  const sentTo = recipients.filter((r) => r.channel);
  if (input.incidentId) await onIncidentTimeline(tx, input.incidentId, client.id, id, input.subject, sentTo);
  await tx.audit({
    action: 'client_update.send',
    entityType: 'client_update',
    entityId: id,
    clientId: client.id,
    summary: `Update "${input.subject}" sent to ${client.name} (${sentTo.map((r) => r.name).join(', ')})`,
    after: { subject: input.subject, body: input.body, incidentId: input.incidentId ?? null, recipients: rows.length },
  });
  tx.emit({ entity: 'client_update', id, action: 'created', clientId: client.id });
  return id;
}

/** The update as a line of its incident's timeline ("Update to the client: … — to Anna (e-mail)"). */
async function onIncidentTimeline(
  tx: ChangeTx,
  incidentId: string,
  clientId: string,
  updateId: string,
  subject: string,
  sentTo: PlannedRecipient[],
): Promise<void> {
  const incident = await tx.db
    .selectFrom('incidents')
    .select(['id', 'client_id'])
    .where('id', '=', incidentId)
    .executeTakeFirst();
  if (incident?.client_id !== clientId) throw badInput({ incidentId: "is not one of this client's incidents" });
  const to = sentTo.map((r) => `${r.name} (${r.channel === 'sms' ? 'SMS' : 'e-mail'})`).join(', ');
  await addTimelineEntry(tx.db, {
    incidentId,
    kind: 'update',
    at: tx.now,
    actorUserId: tx.actor.userId,
    text: `Update to the client: “${subject}” — to ${to}`,
    refType: 'client_update',
    refId: updateId,
    data: { recipients: sentTo.length },
  });
  tx.emit({ entity: 'incident', id: incidentId, action: 'updated', clientId });
}

async function recipientsFor(tx: ChangeTx, clientId: string, contactIds?: string[]): Promise<PlannedRecipient[]> {
  let query = tx.db.selectFrom('contacts').selectAll().where('client_id', '=', clientId).orderBy('name').orderBy('id');
  query = contactIds ? query.where('id', 'in', contactIds) : query.where('receives_incident_updates', '=', 1);
  const contacts = await query.execute();
  if (contactIds) {
    const missing = contactIds.filter((id) => !contacts.some((c) => c.id === id));
    if (missing.length) throw badInput({ contactIds: `${missing[0]} is not a contact of this client` });
  }
  return contacts.map(planRecipient);
}

function messageFor(channel: 'email' | 'sms', input: ClientUpdateInput): Message {
  if (channel === 'email') return { title: input.subject, body: input.body, links: {} };
  const text = input.body.replace(/\s+/g, ' ').trim();
  return { title: text.length > SMS_MAX ? `${text.slice(0, SMS_MAX - 1)}…` : text, body: '', links: {} };
}
