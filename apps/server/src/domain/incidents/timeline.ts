import type { TimelineEntry, TimelineKind } from '@afterhours/shared';
import type { Selectable } from 'kysely';
import type { Kdb } from '../../db/database.js';
import type { IncidentTimelineTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';
import { userNames } from '../auth/users.js';

export interface NewTimelineEntry {
  incidentId: string;
  kind: TimelineKind;
  at: string;
  actorUserId: string | null;
  /** One line a person reads ("Anna called: power off again"). */
  text: string;
  refType?: string | null;
  refId?: string | null;
  data?: unknown;
  /** Only the team sees it (notes and photos so marked). */
  internal?: boolean;
}

/**
 * The one way anything writes to an incident's timeline (calls, notes, alerts, tasks, client updates, power,
 * checklists), in the caller's transaction. Answers the entry's id. The seq is taken by incrementing the
 * incident's counter: on PostgreSQL the UPDATE holds the incident's row lock until the transaction ends, so
 * concurrent writers queue and never share a seq (a unique index backs it).
 */
export async function addTimelineEntry(trx: Kdb, entry: NewTimelineEntry): Promise<string> {
  const id = newId();
  const taken = await trx
    .updateTable('incidents')
    .set((eb) => ({ timeline_seq: eb('timeline_seq', '+', 1), updated_at: entry.at }))
    .where('id', '=', entry.incidentId)
    .returning('timeline_seq')
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('incident_timeline')
    .values({
      id,
      incident_id: entry.incidentId,
      at: entry.at,
      seq: Number(taken.timeline_seq),
      kind: entry.kind,
      actor_user_id: entry.actorUserId,
      text: entry.text,
      ref_type: entry.refType ?? null,
      ref_id: entry.refId ?? null,
      data_json: entry.data === undefined ? null : JSON.stringify(entry.data),
      internal: entry.internal ? 1 : 0,
    })
    .execute();
  return id;
}

/** An incident's lines about one thing (a photo, a checklist run), as stored. */
export function linesAbout(db: Kdb, incidentId: string, refType: string, refId: string) {
  return db
    .selectFrom('incident_timeline')
    .select(['internal', 'data_json'])
    .where('incident_id', '=', incidentId)
    .where('ref_type', '=', refType)
    .where('ref_id', '=', refId)
    .execute();
}

export interface TimelineWindow {
  /** The newest this many entries (null: all of them). */
  limit?: number | null;
  /** Only entries older than this one (paging back). */
  beforeId?: string | null;
  /** What the reader is not shown. */
  hidden?: Hidden;
}

/** Lines a reader is not shown: kinds (who was paged), and the team's internal lines. */
export interface Hidden {
  kinds: readonly TimelineKind[];
  internal: boolean;
}

/**
 * An incident's timeline in order (when it happened, then when it was written): all of it, or its newest
 * `limit` entries (before `beforeId`), still oldest first. Answers the entries and whether older ones exist.
 */
export async function readTimeline(
  db: Kdb,
  incidentId: string,
  window: TimelineWindow = {},
): Promise<{ entries: TimelineEntry[]; more: boolean }> {
  let q = db.selectFrom('incident_timeline').selectAll().where('incident_id', '=', incidentId);
  if (window.hidden?.kinds.length) q = q.where('kind', 'not in', [...window.hidden.kinds]);
  if (window.hidden?.internal) q = q.where('internal', '=', 0);
  if (window.beforeId) {
    const edge = await db
      .selectFrom('incident_timeline')
      .select(['at', 'seq', 'id'])
      .where('id', '=', window.beforeId)
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    if (!edge) return { entries: [], more: false };
    // Rows written before migration 0018 could share a time and a seq: the id breaks the tie, so none is lost.
    q = q.where((eb) =>
      eb.or([
        eb('at', '<', edge.at),
        eb.and([eb('at', '=', edge.at), eb('seq', '<', edge.seq)]),
        eb.and([eb('at', '=', edge.at), eb('seq', '=', edge.seq), eb('id', '<', edge.id)]),
      ]),
    );
  }
  if (window.limit === null || window.limit === undefined) {
    const rows = await q.orderBy('at').orderBy('seq').orderBy('id').execute();
    return { entries: await present(db, rows), more: false };
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('seq', 'desc')
    .orderBy('id', 'desc')
    .limit(window.limit + 1)
    .execute();
  const more = rows.length > window.limit;
  return { entries: await present(db, rows.slice(0, window.limit).reverse()), more };
}

/** How many entries the timeline holds (without those hidden from the reader). */
export async function countTimeline(db: Kdb, incidentId: string, hidden?: Hidden): Promise<number> {
  let q = db
    .selectFrom('incident_timeline')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('incident_id', '=', incidentId);
  if (hidden?.kinds.length) q = q.where('kind', 'not in', [...hidden.kinds]);
  if (hidden?.internal) q = q.where('internal', '=', 0);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** One entry, as just written. */
export async function readTimelineEntry(db: Kdb, id: string): Promise<TimelineEntry> {
  const row = await db.selectFrom('incident_timeline').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return (await present(db, [row]))[0]!;
}

async function present(db: Kdb, rows: Selectable<IncidentTimelineTable>[]): Promise<TimelineEntry[]> {
  const names = await userNames(
    db,
    rows.flatMap((r) => (r.actor_user_id ? [r.actor_user_id] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    kind: r.kind as TimelineKind,
    actor: r.actor_user_id ? { id: r.actor_user_id, name: names.get(r.actor_user_id) ?? 'a former user' } : null,
    text: r.text,
    refType: r.ref_type,
    refId: r.ref_id,
    data: r.data_json === null ? null : JSON.parse(r.data_json),
    internal: r.internal === 1,
  }));
}
