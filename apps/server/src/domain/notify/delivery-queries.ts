import type { DeliveryLogEntry } from '@afterhours/shared';
import { isStaff } from '@afterhours/shared';
import type { AppContext } from '../../context.js';
import { forbidden } from '../../http/errors.js';
import type { Actor } from '../auth/actor.js';

interface Filter {
  userId?: string;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  limit: number;
}

/** Messages, newest first, each with its events (queued, sent, retry, delivered, failed…) and timings. */
export async function deliveryLog(ctx: AppContext, filter: Filter): Promise<DeliveryLogEntry[]> {
  const db = ctx.db.kysely;
  let q = db
    .selectFrom('outbox')
    .leftJoin('contact_methods', 'contact_methods.id', 'outbox.method_id')
    .leftJoin('users', 'users.id', 'outbox.user_id')
    .select([
      'outbox.id',
      'outbox.kind',
      'outbox.address',
      'outbox.subject_type',
      'outbox.subject_id',
      'outbox.payload_json',
      'outbox.status',
      'outbox.attempts',
      'outbox.last_error',
      'outbox.created_at',
      'outbox.sent_at',
      'outbox.delivered_at',
      'outbox.finished_at',
      'contact_methods.label as method_label',
      'users.name as user_name',
    ])
    .orderBy('outbox.created_at', 'desc')
    .orderBy('outbox.id')
    .limit(filter.limit);
  if (filter.userId) q = q.where('outbox.user_id', '=', filter.userId);
  if (filter.subjectType) q = q.where('outbox.subject_type', '=', filter.subjectType);
  if (filter.subjectId) q = q.where('outbox.subject_id', '=', filter.subjectId);
  const rows = await q.execute();
  const events = rows.length
    ? await db
        .selectFrom('deliveries')
        .select(['outbox_id', 'at', 'event', 'attempt', 'detail', 'duration_ms'])
        .where(
          'outbox_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('at')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as DeliveryLogEntry['kind'],
    methodLabel: r.method_label,
    to: r.user_name ?? r.address,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    title: (JSON.parse(r.payload_json) as { title?: string }).title ?? '',
    status: r.status as DeliveryLogEntry['status'],
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    deliveredAt: r.delivered_at,
    finishedAt: r.finished_at,
    events: events
      .filter((e) => e.outbox_id === r.id)
      .map((e) => ({ at: e.at, event: e.event, attempt: e.attempt, detail: e.detail, durationMs: e.duration_ms })),
  }));
}

/** Delivery of a subject's messages (an alert's pages): staff only, since it names people and addresses. */
export function assertCanSeeDeliveries(actor: Actor): void {
  if (!isStaff(actor.role)) throw forbidden('Only staff can see who was sent what');
}
