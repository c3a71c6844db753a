import type { AppContext } from '../../context.js';
import type { OutboxTable } from '../../db/schema.js';
import { verifyTwilioSignature } from '../../integrations/twilio/api.js';
import { isoNow } from '../../lib/clock.js';
import { acknowledgeFromMessage, saysAck, type AcknowledgeSubject } from './acknowledge.js';
import { deliveryRow, logDeliveries } from './delivery-log.js';
import { loadHubChannels } from './hub-channels.js';

/** Whether a request claiming to come from the SMS/voice provider carries its signature for this URL. */
export async function fromProvider(
  ctx: AppContext,
  path: string,
  params: Record<string, string>,
  signature: string | undefined,
): Promise<boolean> {
  const twilio = (await loadHubChannels(ctx.db.kysely, ctx.secrets)).twilio;
  const base = ctx.settings.publicUrl?.replace(/\/+$/, '');
  if (!twilio || !base) return false;
  return verifyTwilioSignature(twilio.authToken, base + path, params, signature);
}

/**
 * An SMS to the hub's number: "ack" acknowledges what the latest page to that number (within a day)
 * was about. Answers what to text back.
 */
export async function inboundSms(
  ctx: AppContext,
  from: string,
  body: string,
  acknowledge?: AcknowledgeSubject,
): Promise<string> {
  if (!saysAck(body)) return 'Reply ACK to acknowledge the latest alert.';
  const row = await latestPageTo(ctx, from);
  if (!row) return 'There is no recent alert sent to this number to acknowledge.';
  await acknowledgeFromMessage(ctx, row, 'sms', acknowledge);
  return 'Acknowledged. Thank you.';
}

/** The newest page sent by SMS (or call) to this number in the last day, found through its method. */
async function latestPageTo(ctx: AppContext, number: string): Promise<OutboxTable | undefined> {
  const since = new Date(ctx.clock.now().getTime() - 24 * 3600_000).toISOString();
  const rows = await ctx.db.kysely
    .selectFrom('outbox')
    .innerJoin('contact_methods', 'contact_methods.id', 'outbox.method_id')
    .selectAll('outbox')
    .select('contact_methods.settings_enc')
    .where('outbox.kind', 'in', ['sms', 'voice'])
    .where('outbox.purpose', '=', 'page')
    .where('outbox.status', 'in', ['sent', 'delivered'])
    .where('outbox.sent_at', '>=', since)
    .orderBy('outbox.sent_at', 'desc')
    .limit(200)
    .execute();
  // Numbers are stored encrypted: compare after decrypting (a day's pages are few).
  const found = rows.find(
    (r) => (JSON.parse(ctx.secrets.decrypt(r.settings_enc)) as { number?: string }).number === number,
  );
  if (!found) return undefined;
  const { settings_enc: _, ...row } = found;
  return row;
}

/** A keypress on a call: "1" acknowledges. Answers the TwiML to play. */
export async function voiceKeypress(
  ctx: AppContext,
  outboxId: string,
  digits: string,
  acknowledge?: AcknowledgeSubject,
): Promise<string> {
  const row = await ctx.db.kysely.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (row?.kind !== 'voice') return twiml('This call is no longer valid. Goodbye.');
  if (digits !== '1') return twiml('Not acknowledged. Goodbye.');
  await acknowledgeFromMessage(ctx, row, 'voice', acknowledge);
  return twiml('Acknowledged. Thank you. Goodbye.');
}

function twiml(say: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${say}</Say></Response>`;
}

const DELIVERED = new Set(['delivered', 'read', 'completed']);
const FAILED = new Set(['failed', 'undelivered', 'busy', 'no-answer', 'canceled']);

/** The provider's delivery report for a message or call (MessageStatus / CallStatus). */
export async function deliveryReport(ctx: AppContext, outboxId: string, status: string, errorCode?: string) {
  const now = isoNow(ctx.clock);
  const delivered = DELIVERED.has(status);
  if (!delivered && !FAILED.has(status)) return;
  await ctx.db.kysely.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('outbox')
      .set(
        delivered
          ? { status: 'delivered', delivered_at: now, finished_at: now, updated_at: now }
          : {
              status: 'failed',
              last_error: `the provider reported ${status}${errorCode ? ` (error ${errorCode})` : ''}`,
              finished_at: now,
              updated_at: now,
            },
      )
      .where('id', '=', outboxId)
      .where('status', 'in', ['sent', 'may_have_been_sent'])
      .returningAll()
      .executeTakeFirst();
    if (!row) return;
    const took = row.sent_at ? Date.parse(now) - Date.parse(row.sent_at) : null;
    await logDeliveries(trx, [
      deliveryRow(
        row,
        delivered ? 'delivered' : 'failed',
        now,
        `the provider reported ${status}${errorCode ? ` (error ${errorCode})` : ''}`,
        took,
      ),
    ]);
  });
}

/** A reply by e-mail to reply+<message id>@…: "ack" from the address it went to (or the person's own) acknowledges. */
export async function emailReply(
  ctx: AppContext,
  outboxId: string,
  from: string,
  text: string,
  acknowledge?: AcknowledgeSubject,
): Promise<'acknowledged' | 'ignored'> {
  const row = await ctx.db.kysely.selectFrom('outbox').selectAll().where('id', '=', outboxId).executeTakeFirst();
  if (!row?.user_id || row.kind !== 'email' || !saysAck(text)) return 'ignored';
  const allowed = new Set<string>();
  const user = await ctx.db.kysely.selectFrom('users').select('email').where('id', '=', row.user_id).executeTakeFirst();
  if (user) allowed.add(user.email.toLowerCase());
  if (row.address) allowed.add(row.address.toLowerCase());
  if (row.method_id) {
    const method = await ctx.db.kysely
      .selectFrom('contact_methods')
      .select('settings_enc')
      .where('id', '=', row.method_id)
      .executeTakeFirst();
    const address = method
      ? (JSON.parse(ctx.secrets.decrypt(method.settings_enc)) as { address?: string }).address
      : undefined;
    if (address) allowed.add(address.toLowerCase());
  }
  if (!allowed.has(from.toLowerCase())) return 'ignored';
  await acknowledgeFromMessage(ctx, row, 'email', acknowledge);
  return 'acknowledged';
}

export const REPLY_ADDRESS = /^reply\+([0-9a-f-]{36})@/i;
