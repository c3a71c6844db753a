import type { Kdb } from '../../db/database.js';
import { addTimelineEntry } from './timeline.js';

/**
 * Whether an incident can be acknowledged: it exists and is not resolved. Called by acknowledgeSubject,
 * the one place acknowledgements (app, signed link, "ack" reply, voice) are taken.
 */
export async function incidentAcknowledgeable(
  db: Kdb,
  id: string,
): Promise<{ ok: boolean; clientId: string | null; title: string }> {
  const row = await db
    .selectFrom('incidents')
    .select(['status', 'client_id', 'number', 'title'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return { ok: false, clientId: null, title: '' };
  return { ok: row.status !== 'resolved', clientId: row.client_id, title: `Incident #${row.number}: ${row.title}` };
}

/** Records the acknowledgement on the incident (its clock to acknowledge stops) and its timeline. */
export async function markIncidentAcknowledged(
  db: Kdb,
  id: string,
  user: { id: string; name: string },
  via: string,
  now: string,
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ acknowledged_at: now, acknowledged_by: user.id, updated_at: now })
    .where('id', '=', id)
    .where('acknowledged_at', 'is', null)
    .execute();
  await addTimelineEntry(db, {
    incidentId: id,
    kind: 'acknowledged',
    at: now,
    actorUserId: user.id,
    text: `Acknowledged by ${user.name}${via === 'app' ? '' : ` (${via})`}; paging stopped`,
  });
}
