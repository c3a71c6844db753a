import type { Kdb } from '../../db/database.js';
import { newId } from '../../lib/ids.js';
import { addTimelineEntry } from '../incidents/timeline.js';
import type { Subject } from './links.js';

export interface TimelineEntry {
  kind: string;
  summary: string;
  actorId?: string | null;
  data?: unknown;
}

/**
 * Adds an entry to an alert's timeline. An incident's paging (who was paged at which step, or that nobody
 * acknowledged) goes on the incident's own timeline; other entries of other subjects are skipped.
 */
export async function addTimeline(db: Kdb, subject: Subject, at: string, entry: TimelineEntry): Promise<void> {
  if (subject.type === 'incident' && (entry.kind === 'paged' || entry.kind === 'exhausted')) {
    await addTimelineEntry(db, {
      incidentId: subject.id,
      kind: 'paged',
      at,
      actorUserId: null,
      text: entry.summary,
      data: entry.data,
    });
    return;
  }
  if (subject.type !== 'alert') return;
  const last = await db
    .selectFrom('alert_events')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('alert_id', '=', subject.id)
    .executeTakeFirst();
  await db
    .insertInto('alert_events')
    .values({
      id: newId(),
      alert_id: subject.id,
      at,
      seq: Number(last?.seq ?? 0) + 1,
      kind: entry.kind,
      actor_id: entry.actorId ?? null,
      summary: entry.summary,
      data_json: entry.data === undefined ? null : JSON.stringify(entry.data),
    })
    .execute();
}
