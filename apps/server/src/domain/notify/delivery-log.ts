import type { Kdb } from '../../db/database.js';
import type { DeliveriesTable, OutboxTable } from '../../db/schema.js';
import { newId } from '../../lib/ids.js';

export type DeliveryEventName =
  | 'queued'
  | 'sent'
  | 'delivered'
  | 'retry'
  | 'failed'
  | 'cancelled'
  | 'may_have_been_sent'
  | 'acknowledged'
  | 'reply';

type RowRef = Pick<OutboxTable, 'id' | 'user_id' | 'subject_type' | 'subject_id' | 'attempts'>;

export function deliveryRow(
  row: RowRef,
  event: DeliveryEventName,
  at: string,
  detail = '',
  durationMs: number | null = null,
): DeliveriesTable {
  return {
    id: newId(),
    outbox_id: row.id,
    user_id: row.user_id,
    subject_type: row.subject_type,
    subject_id: row.subject_id,
    at,
    event,
    attempt: row.attempts,
    detail: detail.slice(0, 1000),
    duration_ms: durationMs === null ? null : Math.round(durationMs),
  };
}

/** Adds events to the delivery log (one row each: what happened to which message, when, how long it took). */
export async function logDeliveries(db: Kdb, rows: DeliveriesTable[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insertInto('deliveries')
      .values(rows.slice(i, i + 500))
      .execute();
}
