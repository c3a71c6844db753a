import type { ClientUpdate, OutboxStatus, UpdateChannel } from '@afterhours/shared';
import type { Kdb } from '../../db/database.js';
import type { Actor } from '../auth/actor.js';
import { clientScope } from '../auth/policy.js';

export interface UpdateFilter {
  ids?: string[];
  clientId?: string | undefined;
  incidentId?: string | undefined;
  checklistRunId?: string | undefined;
}

/** Updates the actor may see (a client account: its own firm's only), newest first, with delivery state. */
export async function listClientUpdates(db: Kdb, actor: Actor, filter: UpdateFilter): Promise<ClientUpdate[]> {
  const scope = clientScope(actor, filter.clientId);
  return loadUpdates(db, { ...filter, clientId: scope });
}

/** Updates with each recipient's delivery state, read from the outbox rows the update queued. */
export async function loadUpdates(db: Kdb, filter: UpdateFilter): Promise<ClientUpdate[]> {
  let query = db
    .selectFrom('client_updates')
    .leftJoin('users', 'users.id', 'client_updates.sent_by')
    .select([
      'client_updates.id',
      'client_updates.client_id',
      'client_updates.incident_id',
      'client_updates.checklist_run_id',
      'client_updates.subject',
      'client_updates.body',
      'client_updates.sent_at',
      'client_updates.sent_by',
      'users.name as sender',
    ])
    .orderBy('client_updates.sent_at', 'desc')
    .orderBy('client_updates.id')
    .limit(200);
  if (filter.ids) query = query.where('client_updates.id', 'in', filter.ids);
  if (filter.clientId) query = query.where('client_updates.client_id', '=', filter.clientId);
  if (filter.incidentId) query = query.where('client_updates.incident_id', '=', filter.incidentId);
  if (filter.checklistRunId) query = query.where('client_updates.checklist_run_id', '=', filter.checklistRunId);
  const updates = await query.execute();
  if (!updates.length) return [];
  const recipients = await db
    .selectFrom('client_update_recipients as r')
    .leftJoin('outbox', 'outbox.id', 'r.outbox_id')
    .select([
      'r.update_id',
      'r.contact_id',
      'r.name',
      'r.channel',
      'r.address',
      'r.skipped',
      'outbox.status',
      'outbox.last_error',
      'outbox.sent_at',
    ])
    .where(
      'r.update_id',
      'in',
      updates.map((u) => u.id),
    )
    .orderBy('r.update_id')
    .orderBy('r.position')
    .execute();
  return updates.map((u) => ({
    id: u.id,
    clientId: u.client_id,
    incidentId: u.incident_id,
    checklistRunId: u.checklist_run_id,
    subject: u.subject,
    body: u.body,
    sentAt: u.sent_at,
    sentBy: u.sent_by ? { id: u.sent_by, name: u.sender ?? 'a former user' } : null,
    recipients: recipients
      .filter((r) => r.update_id === u.id)
      .map((r) => ({
        contactId: r.contact_id,
        name: r.name,
        channel: r.channel as UpdateChannel | null,
        to: r.address,
        skipped: r.skipped,
        status: r.skipped ? null : ((r.status as OutboxStatus | null) ?? 'queued'),
        error: r.last_error ?? null,
        sentAt: r.sent_at ?? null,
      })),
  }));
}
