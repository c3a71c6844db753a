import type { AppContext } from '../../context.js';
import type { Kdb } from '../../db/database.js';
import type { OutboxTable } from '../../db/schema.js';
import { isoNow } from '../../lib/clock.js';
import { acknowledgeSubject } from '../alerts/lifecycle.js';
import { deliveryRow, logDeliveries } from './delivery-log.js';
import type { NotifySubject } from './page.js';

export type AckVia = 'sms' | 'email' | 'voice';

/** Acknowledges a subject as a person (alerts' acknowledgeSubject; a parameter so tests can watch it). */
export type AcknowledgeSubject = (
  db: Kdb,
  subject: NotifySubject,
  userId: string,
  via: string,
  now: string,
) => Promise<{ acknowledged: boolean }>;

/**
 * A reply to a message ("ack" by SMS or e-mail, "1" on a call) acknowledges the subject the message was
 * about, as the person it was sent to; the delivery log records it.
 */
export async function acknowledgeFromMessage(
  ctx: AppContext,
  row: OutboxTable,
  via: AckVia,
  acknowledge: AcknowledgeSubject = acknowledgeSubject,
): Promise<boolean> {
  if (!row.user_id || row.subject_type === 'test') return false;
  const userId = row.user_id;
  const now = isoNow(ctx.clock);
  const subject = { type: row.subject_type as NotifySubject['type'], id: row.subject_id };
  const outcome = await ctx.db.kysely.transaction().execute(async (trx) => {
    const result = await acknowledge(trx, subject, userId, via, now);
    await logDeliveries(trx, [
      result.acknowledged
        ? deliveryRow(row, 'acknowledged', now, `acknowledged by ${via} reply`)
        : deliveryRow(row, 'reply', now, `${via} reply to acknowledge: it was already acknowledged or resolved`),
    ]);
    return result;
  });
  ctx.log.info({ outboxId: row.id, via, subject }, 'notify: acknowledged from a reply');
  return outcome.acknowledged;
}

/** "ack", "ACK please", "Ack." — the first word of a reply, quoted text aside. */
export function saysAck(text: string): boolean {
  const first = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('>'));
  return /^(ack|acknowledge|acknowledged|ok)\b/i.test(first ?? '');
}
