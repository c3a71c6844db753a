import type { AppContext } from '../../context.js';
import type { ContactMethodsTable } from '../../db/schema.js';
import { insertRows, outboxRow } from './page.js';

/** A message to one contact method (a test or a code), queued in the outbox at once. */
export async function queueToMethod(
  db: AppContext['db']['kysely'],
  row: ContactMethodsTable,
  purpose: 'test' | 'verify',
  round: string,
  message: { title: string; body: string; links: { ack?: string; open?: string } },
  now: string,
): Promise<{ outboxId: string }> {
  const at = new Date(now);
  const outbox = outboxRow({
    key: `test:${row.id}:${round}`,
    userId: row.user_id,
    methodId: row.id,
    kind: row.kind,
    address: null,
    subject: { type: 'test', id: row.id },
    round,
    urgency: 'high',
    purpose,
    message,
    at,
    now: at,
  });
  await insertRows(db, [outbox], at);
  return { outboxId: outbox.id };
}
